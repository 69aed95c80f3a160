package report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What RoundTripBench printed: its text as it was, and per back end and kind of pipe the round trip. */
final class RoundTrip {
    private static final Pattern LINE = Pattern.compile(
            "backend (\\w+)|(pipe|fifo): acquire\\+release (\\d+) ns/op.*?bare read\\+write (\\d+) ns/op.*?ratio ([0-9.]+)");

    /** One measured round trip; the nanoseconds kept as printed. */
    static final class Row {
        final String kind, backend, acquire, bare;
        final double ratio;

        Row(String kind, String backend, String acquire, String bare, double ratio) {
            this.kind = kind;
            this.backend = backend;
            this.acquire = acquire;
            this.bare = bare;
            this.ratio = ratio;
        }
    }

    final String text;
    final List<Row> rows = new ArrayList<>();

    private RoundTrip(String text) {
        this.text = text;
    }

    static RoundTrip parse(String text) {
        RoundTrip rt = new RoundTrip(text);
        Matcher m = LINE.matcher(text);
        String backend = "?";
        while (m.find()) {
            if (m.group(1) != null) {
                backend = m.group(1);
                continue;
            }
            rt.rows.add(new Row(m.group(2), backend, m.group(3), m.group(4), Double.parseDouble(m.group(5))));
        }
        return rt;
    }
}
