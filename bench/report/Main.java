package report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Turns bench/run's raw logs (DIR/raw) into DIR/RESULTS.md and SVG charts, with section R from
 * DIR/resolver when bench/resolver ran and bench/startup's own run from DIR/startup.txt when there is one.
 * Started by bench/Report.java; reads DIR/raw ({@link RawLogs}), models it ({@link Case}), writes it out.
 */
public final class Main {

    private Main() {}

    /** {@code args[0]}: DIR, bench/results by default. */
    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args.length > 0 ? args[0] : "bench/results");
        Bench bench = RawLogs.read(dir.resolve("raw"));
        // bench/startup run alone, with the trivial core extension beside ours (bench/startup 15 > DIR/startup.txt)
        Path startupAlone = dir.resolve("startup.txt");
        Startup alone = Files.exists(startupAlone) ? Startup.read(startupAlone) : null;
        ResolverRuns resolver = ResolverRuns.read(dir.resolve("resolver"));
        List<Case> cases = bench.cases();
        for (Case c : cases) {
            write(dir.resolve("timeline-" + c.scenario + "-" + c.flavour + ".svg"), Timeline.render(c));
        }
        write(dir.resolve("makespan.svg"), BarChart.render(cases));
        write(dir.resolve("RESULTS.md"), ResultsPage.render(bench, cases, alone, resolver));
    }

    private static void write(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
