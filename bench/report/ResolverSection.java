package report;

import java.util.Locale;

/** Section R of RESULTS.md: bench/resolver's runs of a real reactor beside a native make. */
final class ResolverSection {

    private ResolverSection() {}

    /** The section, or nothing when bench/resolver was not run ({@code runs} null). */
    static String render(ResolverRuns runs) {
        if (runs == null) {
            return "";
        }
        StringBuilder md = new StringBuilder();
        intro(md, runs);
        md.append("| variant | makespan | peak jobs (jobserver's count) | peak java processes | runnable threads, mean (peak) |")
                .append(" peak RSS of the tree | native done in | lost tokens | exit | what Maven said |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (ResolverRuns.Variant v : runs.variants.values()) {
            if (!v.rows.isEmpty()) {
                md.append(row(v));
            }
        }
        return md.append('\n').toString();
    }

    private static void intro(StringBuilder md, ResolverRuns runs) {
        md.append("## R. A real reactor: Maven Resolver ").append(runs.machine.getOrDefault("reactor", "?"))
                .append(", `package` under `make -j2` beside a native make\n\n");
        md.append("Written by `bench/resolver` on ").append(runs.machine.get("date")).append(" (")
                .append(runs.machine.get("cpu")).append("; ").append(runs.machine.get("maven")).append("; ")
                .append(runs.machine.get("make")).append("; ").append(runs.machine.get("java")).append("). One `make -j2` runs")
                .append(" two rules: `+mvn -o package` of the reactor (its own tests included) and a native make of ")
                .append(runs.machine.get("native")).append(". ").append(runs.machine.get("runs"))
                .append(". Sampled from outside every 100 ms (`bench/sample.pl`): **jobs** = 2 minus the tokens free")
                .append(" in make's jobserver (FIONREAD on make's own pipe, never read), **java** = java processes")
                .append(" alive at once (Maven and its surefire forks), **runnable** = threads in state R over the")
                .append(" whole tree (what 2 cores are asked to run), **RSS** = the tree's resident memory at once.")
                .append(" Makespan is the median run's (range over all); the other figures are medians over the")
                .append(" runs (range). Native done: seconds from the first native burn's start to the last one's")
                .append(" end, in the median run.\n\n");
    }

    private static String row(ResolverRuns.Variant v) {
        String[] median = v.median();
        return String.format(Locale.ROOT, "| %s | %.1f s (%.1f-%.1f) | %s | %s | %s (%s) | %s MiB (%s) | %s | %s | %s | %s |%n",
                ResolverRuns.LABEL.getOrDefault(v.name, v.name),
                Long.parseLong(median[2]) / 1e3, v.ms(0) / 1e3, v.ms(v.rows.size() - 1) / 1e3,
                v.median(5, 1), v.median(6, 1), v.median(8, 1), v.median(7, 1),
                String.format(Locale.ROOT, "%.0f", v.medianValue(9, 1024)), v.range(9, 1024),
                v.nativeSpan,
                v.anyLost() ? "**yes**" : "none", v.exits(),
                median.length > 11 ? "`" + median[11].replace("|", "\\|") + "`" : "-");
    }
}
