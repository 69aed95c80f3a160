package report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What bench/resolver left in DIR/resolver: the machine and each variant's runs (rows of runs.tsv). */
final class ResolverRuns {
    /** The variants bench/resolver runs, in the table's order, with their names there. */
    static final Map<String, String> LABEL = new LinkedHashMap<>();

    static {
        LABEL.put("t1", "mvn -T 1 (no extension)");
        LABEL.put("t2", "mvn -T 2 (no extension)");
        LABEL.put("extension", "extension (no -T)");
    }

    /**
     * One variant's runs, fastest first. Columns: variant, rep, ms, exit, lost, peak jobs, peak java
     * processes, peak runnable, mean runnable, peak RSS (KiB), samples, and Maven's decision line (newer runs).
     */
    static final class Variant {
        final String name;
        final List<String[]> rows = new ArrayList<>();
        String nativeSpan = "-"; // the median run's native part, first start to last end

        Variant(String name) {
            this.name = name;
        }

        /** The run with the median makespan (the earlier of two middles). */
        String[] median() {
            return rows.get((rows.size() - 1) / 2);
        }

        long ms(int i) {
            return Long.parseLong(rows.get(i)[2]);
        }

        boolean anyLost() {
            return rows.stream().anyMatch(f -> f[4].equals("yes"));
        }

        /** Every exit code seen, in the order of the runs. */
        String exits() {
            return rows.stream().map(f -> f[3]).distinct().reduce((a, b) -> a + ", " + b).orElse("?");
        }

        /** The median of column {@code col} over the runs, divided by {@code div}, as text. */
        String median(int col, double div) {
            double m = medianValue(col, div);
            return m == Math.rint(m) ? String.valueOf((long) m) : String.format(Locale.ROOT, "%.2f", m);
        }

        /** The median of column {@code col} over the runs (the earlier of two middles), divided by {@code div}. */
        double medianValue(int col, double div) {
            double[] v = sorted(col, div);
            return v[(v.length - 1) / 2];
        }

        String range(int col, double div) {
            double[] v = sorted(col, div);
            return String.format(Locale.ROOT, "%.0f-%.0f", v[0], v[v.length - 1]);
        }

        private double[] sorted(int col, double div) {
            return rows.stream().mapToDouble(f -> Double.parseDouble(f[col]) / div).sorted().toArray();
        }
    }

    final Map<String, String> machine = new LinkedHashMap<>();
    final Map<String, Variant> variants = new LinkedHashMap<>(); // the known ones first, then others as met

    private ResolverRuns() {}

    /** DIR/resolver's runs, or null when bench/resolver was not run. */
    static ResolverRuns read(Path dir) throws IOException {
        Path tsv = dir.resolve("runs.tsv");
        if (!Files.exists(tsv)) {
            return null;
        }
        ResolverRuns r = new ResolverRuns();
        for (String line : Files.readAllLines(dir.resolve("machine.tsv"))) {
            String[] f = line.split("\t", 2);
            r.machine.put(f[0], f.length > 1 ? f[1] : "");
        }
        for (String v : LABEL.keySet()) {
            r.variants.put(v, new Variant(v));
        }
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            r.variants.computeIfAbsent(f[0], Variant::new).rows.add(f);
        }
        for (Variant v : r.variants.values()) {
            if (!v.rows.isEmpty()) {
                v.rows.sort(Comparator.comparingLong(f -> Long.parseLong(f[2])));
                String[] median = v.median();
                v.nativeSpan = nativeSpan(dir.resolve(median[0] + "-" + median[1] + ".log"));
            }
        }
        return r;
    }

    /** Seconds from the first native item's start to the last one's end in a run's start/end log. */
    private static String nativeSpan(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "-";
        }
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            if (f.length == 3 && f[1].startsWith("native-")) {
                long t = Long.parseLong(f[2]);
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
        }
        return first > last ? "-" : String.format(Locale.ROOT, "%.1f s", (last - first) / 1e9);
    }
}
