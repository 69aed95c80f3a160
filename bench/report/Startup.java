package report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What bench/startup printed: its text as it was, and the medians of each line in seconds. */
final class Startup {
    // "WHERE without A ms VARIANT B ms overhead ... [paired D ms ...]": the medians, and the median of the
    // rounds' differences where bench/startup printed it (shown in the text, not used for targets)
    private static final String PAIRED = "(?:.*paired\\s+([+-]?\\d+) ms)?";
    private static final Pattern WITHOUT =
            Pattern.compile("(?m)^(\\w+)\\s+without\\s+(\\d+) ms\\s+(\\w+)\\s+(\\d+) ms" + PAIRED);
    // ours beside a trivial core extension (a jar with no components), where bench/startup measured one
    private static final Pattern OURS =
            Pattern.compile("(?m)^(\\w+)\\s+trivial\\s+(\\d+) ms\\s+extension\\s+(\\d+) ms\\s+ours" + PAIRED);

    String text;
    final Map<String, double[]> rows = new HashMap<>(); // "where/variant" -> {without, with}
    double makeExtension; // Maven's start-up with the extension under make
    double outsidePlain; // plain Maven's start-up outside make
    double outsideExtension; // Maven's start-up with the extension outside make

    static Startup read(Path file) throws IOException {
        Startup s = new Startup();
        s.text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        Matcher m = WITHOUT.matcher(s.text);
        while (m.find()) {
            s.rows.put(m.group(1) + "/" + m.group(3), row(m.group(2), m.group(4)));
        }
        Matcher ours = OURS.matcher(s.text);
        while (ours.find()) {
            s.rows.put(ours.group(1) + "/ours", row(ours.group(2), ours.group(3)));
        }
        s.makeExtension = s.rows.get("make/extension")[1];
        s.outsidePlain = s.rows.get("outside/extension")[0];
        s.outsideExtension = s.rows.get("outside/extension")[1];
        return s;
    }

    private static double[] row(String without, String with) {
        return new double[] {Double.parseDouble(without) / 1e3, Double.parseDouble(with) / 1e3};
    }

    /** How much slower {@code variant} started than its baseline {@code where}, in percent. */
    double pct(String where, String variant) {
        double[] r = rows.get(where + "/" + variant);
        return 100 * (r[1] - r[0]) / r[0];
    }
}
