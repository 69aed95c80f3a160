import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns bench/run's raw logs (DIR/raw) into DIR/RESULTS.md and SVG charts. Run by bench/run as
 * {@code java bench/Report.java DIR} (a single-file program, Java 11+); it can be rerun on old raw logs.
 *
 * <p>Per run: peak = most work items running at once (across the whole tree); busy = the sum of the
 * items' durations; makespan = from the top command's start to its end (Maven start-up included);
 * occupancy = busy / (N x makespan); lower bound = max(items x unit / N, longest chain x unit) (CPU burns: / min(N, cores)), unit
 * being one item's duration measured alone on the idle machine before the runs.
 */
public final class Report {

    static final String[] A_VARIANTS = {"t4", "t1", "claim", "dynamic"};
    static final String[] B_VARIANTS = {"exec-j4", "exec-serial", "serve"};
    static final String[] F_VARIANTS = {"t4", "dynamic"};
    static final String[] SCENARIOS = {"A", "B", "F"};
    static final Map<String, String> LABEL = new LinkedHashMap<>();
    static final Map<String, String> COMMAND = new LinkedHashMap<>();
    static {
        LABEL.put("t4", "mvn -T 4 (no extension)");
        LABEL.put("t1", "mvn -T 1 (no extension)");
        LABEL.put("claim", "extension, claim");
        LABEL.put("dynamic", "extension, dynamic");
        LABEL.put("exec-j4", "exec make -j4");
        LABEL.put("exec-serial", "exec make (serial)");
        LABEL.put("serve", "jobserver:serve make");
        COMMAND.put("t4", "`make -j4` with a `+mvn -T 4 validate` rule per reactor, no `.mvn/extensions.xml`");
        COMMAND.put("t1", "the same with `mvn -T 1`");
        COMMAND.put("claim", "`+mvn -Djobserver.mode=claim validate`, the extension in `.mvn/extensions.xml`");
        COMMAND.put("dynamic", "`+mvn validate`, the extension in `.mvn/extensions.xml` (its default mode)");
        COMMAND.put("exec-j4", "`mvn -T 4 -P exec-j4 validate`: exec-maven-plugin runs `make -j4 -f ../part.mk` per module");
        COMMAND.put("exec-serial", "`mvn -T 4 -P exec-serial validate`: the same with `make -f ../part.mk`");
        COMMAND.put("serve", "`mvn -T 4 -P serve validate`: `jobserver:serve` runs `make -f ../part.mk` per module");
        COMMAND.put("F/t4", "`make -j4` with a `+mvn -T 4 test` rule, no `.mvn/extensions.xml`; surefire `forkCount=2`");
        COMMAND.put("F/dynamic", "`+mvn test`, the extension in `.mvn/extensions.xml`; surefire `forkCount=2`, lowered to the slots each execution holds");
    }

    static final class Run {
        String scenario, flavour, variant, log;
        int rep, n, exit, items, chain;
        long t0, t1;
        boolean lost;
        List<long[]> intervals = new ArrayList<>(); // {start, end} in ns since the epoch
        int peak;
        double busy; // seconds
        long rssKb = -1; // the most resident memory of the whole process tree at once (sampled), -1: not sampled
        int testJvms = -1; // the most surefire test JVMs alive at once (sampled)
        Map<String, Long> firstStart = new HashMap<>(); // by part (r1, native, ...): its first item's start, ns

        /** Seconds from the top command's start to {@code part}'s first item (a reactor's start-up), or 0. */
        double readyAt(String part) {
            Long first = firstStart.get(part);
            return first == null ? 0 : (first - t0) / 1e9;
        }

        double makespan() {
            return (t1 - t0) / 1e9;
        }

        double occupancy() {
            return busy / (n * makespan());
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args.length > 0 ? args[0] : "bench/results");
        Path raw = dir.resolve("raw");
        Map<String, String> machine = new LinkedHashMap<>();
        Map<String, Double> unit = new HashMap<>(); // seconds per item, by flavour
        for (String line : Files.readAllLines(raw.resolve("machine.tsv"))) {
            String[] f = line.split("\t");
            if (f[0].equals("unit")) {
                unit.put(f[1], Long.parseLong(f[2]) / 1e9);
            } else {
                machine.put(f[0], f.length > 1 ? f[1] : "");
            }
        }
        List<Run> runs = new ArrayList<>();
        List<String> lines = Files.readAllLines(raw.resolve("runs.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            Run r = new Run();
            r.scenario = f[0];
            r.flavour = f[1];
            r.variant = f[2];
            r.rep = Integer.parseInt(f[3]);
            r.n = Integer.parseInt(f[4]);
            r.t0 = Long.parseLong(f[5]);
            r.t1 = Long.parseLong(f[6]);
            r.exit = Integer.parseInt(f[7]);
            r.lost = f[8].equals("yes");
            r.log = f[9];
            r.items = Integer.parseInt(f[10]);
            r.chain = Integer.parseInt(f[11]);
            if (f.length > 13) {
                r.rssKb = Long.parseLong(f[12]);
                r.testJvms = Integer.parseInt(f[13]);
            }
            measure(r, raw.resolve(r.log));
            runs.add(r);
        }
        Startup startup = Startup.read(raw.resolve("startup.txt"));
        int cores = Integer.parseInt(machine.get("cpu").replaceAll("^(\\d+).*", "$1"));
        String roundTrip = new String(Files.readAllBytes(raw.resolve("roundtrip.txt")), StandardCharsets.UTF_8);

        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("Written by `bench/run").append(machine.get("mode").startsWith("--quick") ? " --quick" : "")
                .append("` (then `java bench/Report.java bench/results`) on ").append(machine.get("date"))
                .append(". Raw logs: [`raw/`](raw). What each scenario is, and how to rerun it: `bench/run`'s header.\n\n");
        md.append("| machine | |\n| --- | --- |\n");
        for (String k : new String[] {"mode", "cpu", "memory", "os", "java", "maven", "make", "awk"}) {
            md.append("| ").append(k).append(" | ").append(machine.getOrDefault(k, "?")).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "| one work item alone | timed %.0f ms, cpu %.0f ms (%s awk loop turns) |%n%n",
                unit.get("timed") * 1e3, unit.get("cpu") * 1e3, machine.get("iterations")));
        md.append("Definitions: **peak** = most work items (Maven modules' and native recipes' alike) running at once"
                + " across the whole tree; **occupancy** = busy item-seconds / (N x makespan); **makespan** = the top"
                + " command's wall time, Maven start-ups included; **lower bound** = max(items x item / N, longest"
                + " chain x item) with N = " + machine.get("N") + ", and for CPU burns items x item / min(N, cores),"
                + " since " + cores + " cores cannot burn faster; **start-up** = one Maven start-up as measured below"
                + " (A: with the extension under make; B: plain Maven). Each figure is from the run with the median"
                + " makespan; the range is over all runs of that variant. Lost tokens: make's `INTERNAL: Exiting with`"
                + " check (A, F) or serve's count (B) in any run. **Peak RSS of the tree** = the most resident memory"
                + " of the top command and all its descendants at once, sampled every 100 ms (median over the runs,"
                + " and their range); **peak test JVMs** (F) = the most surefire fork JVMs alive at once, sampled"
                + " the same way (a test JVM lives longer than the test classes it runs).\n\n");

        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (String scenario : SCENARIOS) {
            for (String flavour : new String[] {"timed", "cpu"}) {
                for (String v : variants(scenario)) {
                    List<Run> g = new ArrayList<>();
                    for (Run r : runs) {
                        if (r.scenario.equals(scenario) && r.flavour.equals(flavour) && r.variant.equals(v)) {
                            g.add(r);
                        }
                    }
                    if (!g.isEmpty()) {
                        g.sort(Comparator.comparingDouble(Run::makespan));
                        groups.put(scenario + "/" + flavour + "/" + v, g);
                    }
                }
            }
        }
        List<Bar> bars = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String scenario : SCENARIOS) {
            if (groups.keySet().stream().noneMatch(k -> k.startsWith(scenario + "/"))) {
                continue; // an older run without this scenario
            }
            md.append(scenario.equals("A")
                    ? "## A. make drives Maven: `make -j4`, three reactors of 10 modules and a native make of 8 recipes\n\n"
                    : scenario.equals("B")
                    ? "## B. Maven drives make: `mvn -T 4`, four modules (three depend on the first), each a native make of 8 recipes\n\n"
                    : "## F. Forked test JVMs: `make -j4`, four modules of four test classes in surefire forks (`forkCount=2`) and a native make of 8 recipes\n\n");
            md.append("| variant | how it runs |\n| --- | --- |\n");
            for (String v : variants(scenario)) {
                md.append("| ").append(LABEL.get(v)).append(" | ")
                        .append(COMMAND.getOrDefault(scenario + "/" + v, COMMAND.get(v))).append(" |\n");
            }
            md.append('\n');
            double start = scenario.equals("B") ? startup.outsidePlain : startup.makeExtension;
            for (String flavour : new String[] {"timed", "cpu"}) {
                List<List<Run>> shown = new ArrayList<>();
                for (String v : variants(scenario)) {
                    List<Run> g = groups.get(scenario + "/" + flavour + "/" + v);
                    if (g != null) {
                        shown.add(g);
                    }
                }
                if (shown.isEmpty()) {
                    continue;
                }
                Run any = shown.get(0).get(0);
                double u = unit.get(flavour);
                // CPU work cannot finish faster than the cores allow, whatever N says
                int lanes = flavour.equals("cpu") ? Math.min(any.n, cores) : any.n;
                double lb = Math.max(any.items * u / lanes, any.chain * u);
                md.append(String.format(Locale.ROOT, "### %s, %s (%d items of %.0f ms; lower bound %.1f s, plus one start-up %.1f s)%n%n",
                        scenario, flavour.equals("timed") ? "timed waits" : "CPU burns", any.items, u * 1e3, lb, lb + start));
                md.append(String.format(Locale.ROOT, "![timeline](timeline-%s-%s.svg)%n%n", scenario, flavour));
                boolean modelled = scenario.equals("A") && flavour.equals("timed");
                if (modelled) {
                    md.append(String.format(Locale.ROOT, "**What is structural.** Under make's accounting the four rules start at"
                            + " once, so each process holds one of the %d slots for as long as it lives, its start-up included,"
                            + " and runs a second item only on a slot another process gave back by ending. The last column is"
                            + " the best schedule a simulation of that finds for the same items (items of %.0f ms, each free"
                            + " slot to the ready item with the longest chain left), with each reactor's start-up as long as it"
                            + " was in that variant's median run (its first module's start), and in brackets what no schedule can"
                            + " beat (slot-seconds / slots, start-up + longest chain): a makespan above it is Maven's own cost per"
                            + " module and at its end, or ours.%n%n",
                            any.n, u * 1e3));
                }
                boolean forks = scenario.equals("F");
                md.append("| variant | peak (N=" + any.n + ")" + (forks ? " | peak test JVMs" : "")
                        + " | peak RSS of the tree | occupancy | makespan | makespan / (lower bound + start-up) | runs (makespan range) | lost tokens | exit |"
                        + (modelled ? " start-ups (r1, r2, r3) | simulated best under make [bound] | makespan / simulated |" : "") + "\n");
                md.append("| --- | --- |" + (forks ? " --- |" : "") + " --- | --- | --- | --- | --- | --- | --- |"
                        + (modelled ? " --- | --- | --- |" : "") + "\n");
                for (List<Run> g : shown) {
                    Run m = g.get(g.size() / 2);
                    double[] model = modelled ? modelA(u, m, m.n) : null;
                    boolean lost = g.stream().anyMatch(r -> r.lost);
                    int exit = g.stream().mapToInt(r -> r.exit).max().getAsInt();
                    md.append(String.format(Locale.ROOT, "| %s | %s |%s %s | %.2f | %.1f s | %.2f | %d (%.1f-%.1f s) | %s | %d |%s%n",
                            LABEL.get(m.variant), m.peak > m.n ? "**" + m.peak + "**" : "" + m.peak,
                            forks ? " " + medianOf(g, r -> r.testJvms) + " (" + rangeOf(g, r -> r.testJvms) + ") |" : "",
                            m.rssKb < 0 ? "not sampled" : String.format(Locale.ROOT, "%d MiB (%s)", medianOf(g, r -> (int) (r.rssKb / 1024)),
                                    rangeOf(g, r -> (int) (r.rssKb / 1024))),
                            m.occupancy(),
                            m.makespan(), m.makespan() / (lb + start), g.size(), g.get(0).makespan(),
                            g.get(g.size() - 1).makespan(), lost ? "**yes**" : "none", exit,
                            model != null ? String.format(Locale.ROOT, " %.1f, %.1f, %.1f s | %.1f s [%.1f s] | %.2f |", m.readyAt("r1"),
                                    m.readyAt("r2"), m.readyAt("r3"), model[0], model[1], m.makespan() / model[0]) : ""));
                    bars.add(new Bar(scenario + " " + flavour, LABEL.get(m.variant) + ", peak " + m.peak, m.makespan(), lb, lb + start,
                            jobserverVariant(m.variant)));
                    if (jobserverVariant(m.variant)) {
                        int worst = g.stream().mapToInt(r -> r.peak).max().getAsInt();
                        targets.add(String.format(Locale.ROOT, "| %s %s, %s | peak <= %d | %d (worst of %d runs) | %s |",
                                scenario, flavour, LABEL.get(m.variant), m.n, worst, g.size(), worst <= m.n ? "met" : "**missed**"));
                    }
                    if (m.variant.equals("dynamic") || m.variant.equals("serve")) {
                        targets.add(String.format(Locale.ROOT, "| %s %s, %s | occupancy >= 0.9 | %.2f | %s |", scenario, flavour,
                                LABEL.get(m.variant), m.occupancy(), m.occupancy() >= 0.9 ? "met" : "**missed**"));
                        targets.add(String.format(Locale.ROOT, "| %s %s, %s | makespan <= 1.1 x (lower bound + start-up) = %.1f s | %.1f s | %s |",
                                scenario, flavour, LABEL.get(m.variant), 1.1 * (lb + start), m.makespan(),
                                m.makespan() <= 1.1 * (lb + start) ? "met" : "**missed**"));
                    }
                }
                md.append('\n');
                Files.write(dir.resolve("timeline-" + scenario + "-" + flavour + ".svg"),
                        timeline(scenario + ", " + flavour + ": work items running at once", shown).getBytes(StandardCharsets.UTF_8));
            }
        }
        Files.write(dir.resolve("makespan.svg"), barChart(bars).getBytes(StandardCharsets.UTF_8));
        md.append("## Makespan against the lower bound\n\n![makespan](makespan.svg)\n\n");
        md.append(resolver(dir.resolve("resolver")));

        md.append("## Overheads\n\nMaven start-up (`bench/startup`, median of alternating runs of `mvn -B -q validate` on a"
                + " one-module project):\n\n```\n").append(startup.text).append("```\n\n");
        // bench/startup run alone, with the trivial core extension beside ours (bench/startup 15 > DIR/startup.txt)
        Path alone = dir.resolve("startup.txt");
        Startup trivial = Files.exists(alone) ? Startup.read(alone) : startup;
        if (trivial != startup) {
            md.append("`bench/startup 15` run alone, with a trivial core extension (a jar with no components) beside ours,"
                    + " so Maven's price of any core extension and ours show apart ([`startup.txt`](startup.txt)):\n\n```\n")
                    .append(trivial.text).append("```\n\n");
        }
        md.append("The library's round trip and the client's cold start (`RoundTripBench`, one fresh JVM per back end):\n\n```\n")
                .append(roundTrip).append("```\n\n");
        targets.add(String.format(Locale.ROOT, "| start-up outside make, extension in `.mvn/extensions.xml` | <= 2%% | %+.1f%% | %s |",
                startup.pct("outside", "extension"), startup.pct("outside", "extension") <= 2 ? "met" : "**missed**"));
        targets.add(String.format(Locale.ROOT, "| start-up outside make, extension on Maven's class path | <= 2%% | %+.1f%% | %s |",
                startup.pct("outside", "classpath"), startup.pct("outside", "classpath") <= 2 ? "met" : "**missed**"));
        for (String where : new String[] {"outside", "make"}) {
            if (trivial.rows.containsKey(where + "/ours")) { // what we add to Maven's price of any core extension
                double limit = where.equals("outside") ? 2 : 5;
                targets.add(String.format(Locale.ROOT, "| start-up %s make, ours above a trivial core extension | <= %.0f%% | %+.1f%% | %s |",
                        where.equals("outside") ? "outside" : "under", limit, trivial.pct(where, "ours"),
                        trivial.pct(where, "ours") <= limit ? "met" : "**missed**"));
            }
        }
        if (trivial.rows.containsKey("span/ours") && trivial.rows.containsKey("make/ours")) {
            // the same under make, from Maven's first log line to its exit (Maven's own timestamps), as a share of
            // the trivial extension's whole start-up: our decision and session without the JVM's start's noise
            double[] span = trivial.rows.get("span/ours");
            double pct = 100 * (span[1] - span[0]) / trivial.rows.get("make/ours")[0];
            targets.add(String.format(Locale.ROOT, "| start-up under make, ours above a trivial core extension after the JVM's start (`span`) | <= 5%% | %+.1f%% | %s |",
                    pct, pct <= 5 ? "met" : "**missed**"));
        }
        targets.add(String.format(Locale.ROOT, "| start-up under make, extension in `.mvn/extensions.xml` | <= 5%% | %+.1f%% | %s |",
                startup.pct("make", "extension"), startup.pct("make", "extension") <= 5 ? "met" : "**missed**"));
        targets.add(String.format(Locale.ROOT, "| start-up under make, extension on Maven's class path | <= 5%% | %+.1f%% | %s |",
                startup.pct("make", "classpath"), startup.pct("make", "classpath") <= 5 ? "met" : "**missed**"));
        Matcher rt = Pattern.compile("backend (\\w+)|(pipe|fifo): acquire\\+release (\\d+) ns/op.*?bare read\\+write (\\d+) ns/op.*?ratio ([0-9.]+)")
                .matcher(roundTrip);
        String backend = "?";
        while (rt.find()) {
            if (rt.group(1) != null) {
                backend = rt.group(1);
                continue;
            }
            double ratio = Double.parseDouble(rt.group(5));
            targets.add(String.format(Locale.ROOT, "| round trip, %s, %s back end | <= 2x bare read+write | %s ns vs %s ns: %.2fx | %s |",
                    rt.group(2), backend, rt.group(3), rt.group(4), ratio, ratio <= 2 ? "met" : "**missed**"));
        }
        StringBuilder head = new StringBuilder();
        head.append("## Targets\n\n| where | target | measured | |\n| --- | --- | --- | --- |\n");
        targets.forEach(t -> head.append(t).append('\n'));
        head.append('\n');
        int at = md.indexOf("## A.");
        md.insert(at, head);
        Files.write(dir.resolve("RESULTS.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------- R: a real reactor

    static final Map<String, String> R_LABEL = new LinkedHashMap<>();

    static {
        R_LABEL.put("t1", "mvn -T 1 (no extension)");
        R_LABEL.put("t2", "mvn -T 2 (no extension)");
        R_LABEL.put("extension", "extension (no -T)");
    }

    /** bench/resolver's runs (DIR/resolver/runs.tsv) as a section, or nothing when it was not run. */
    static String resolver(Path dir) throws IOException {
        Path tsv = dir.resolve("runs.tsv");
        if (!Files.exists(tsv)) {
            return "";
        }
        Map<String, String> machine = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("machine.tsv"))) {
            String[] f = line.split("\t", 2);
            machine.put(f[0], f.length > 1 ? f[1] : "");
        }
        Map<String, List<String[]>> byVariant = new LinkedHashMap<>();
        R_LABEL.keySet().forEach(v -> byVariant.put(v, new ArrayList<>()));
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            byVariant.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
        }
        StringBuilder md = new StringBuilder();
        md.append("## R. A real reactor: Maven Resolver ").append(machine.getOrDefault("reactor", "?"))
                .append(", `package` under `make -j2` beside a native make\n\n");
        md.append("Written by `bench/resolver` on ").append(machine.get("date")).append(" (")
                .append(machine.get("cpu")).append("; ").append(machine.get("maven")).append("; ")
                .append(machine.get("make")).append("; ").append(machine.get("java")).append("). One `make -j2` runs")
                .append(" two rules: `+mvn -o package` of the reactor (its own tests included) and a native make of ")
                .append(machine.get("native")).append(". ").append(machine.get("runs"))
                .append(". Sampled from outside every 100 ms (`bench/sample.pl`): **jobs** = 2 minus the tokens free")
                .append(" in make's jobserver (FIONREAD on make's own pipe, never read), **java** = java processes")
                .append(" alive at once (Maven and its surefire forks), **runnable** = threads in state R over the")
                .append(" whole tree (what 2 cores are asked to run), **RSS** = the tree's resident memory at once.")
                .append(" Makespan is the median run's (range over all); the other figures are medians over the")
                .append(" runs (range). Native done: seconds from the first native burn's start to the last one's")
                .append(" end, in the median run.\n\n");
        md.append("| variant | makespan | peak jobs (jobserver's count) | peak java processes | runnable threads, mean (peak) |")
                .append(" peak RSS of the tree | native done in | lost tokens | exit | what Maven said |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Map.Entry<String, List<String[]>> e : byVariant.entrySet()) {
            List<String[]> g = e.getValue();
            if (g.isEmpty()) {
                continue;
            }
            g.sort(Comparator.comparingLong(f -> Long.parseLong(f[2])));
            String[] median = g.get((g.size() - 1) / 2);
            boolean lost = g.stream().anyMatch(f -> f[4].equals("yes"));
            String exits = g.stream().map(f -> f[3]).distinct().reduce((a, b) -> a + ", " + b).orElse("?");
            md.append(String.format(Locale.ROOT, "| %s | %.1f s (%.1f-%.1f) | %s | %s | %s (%s) | %s MiB (%s) | %s | %s | %s | %s |%n",
                    R_LABEL.getOrDefault(e.getKey(), e.getKey()),
                    Long.parseLong(median[2]) / 1e3, Long.parseLong(g.get(0)[2]) / 1e3,
                    Long.parseLong(g.get(g.size() - 1)[2]) / 1e3,
                    rMedian(g, 5, 1), rMedian(g, 6, 1), rMedian(g, 8, 1), rMedian(g, 7, 1),
                    String.format(Locale.ROOT, "%.0f", rMedianValue(g, 9, 1024)), rRange(g, 9, 1024),
                    nativeSpan(dir.resolve(median[0] + "-" + median[1] + ".log")),
                    lost ? "**yes**" : "none", exits,
                    median.length > 11 ? "`" + median[11].replace("|", "\\|") + "`" : "-"));
        }
        return md.append('\n').toString();
    }

    /** The median of column {@code col} over the runs, divided by {@code div}, as text. */
    static String rMedian(List<String[]> g, int col, double div) {
        double m = rMedianValue(g, col, div);
        return m == Math.rint(m) ? String.valueOf((long) m) : String.format(Locale.ROOT, "%.2f", m);
    }

    static double rMedianValue(List<String[]> g, int col, double div) {
        double[] v = g.stream().mapToDouble(f -> Double.parseDouble(f[col]) / div).sorted().toArray();
        return v[(v.length - 1) / 2];
    }

    static String rRange(List<String[]> g, int col, double div) {
        double[] v = g.stream().mapToDouble(f -> Double.parseDouble(f[col]) / div).sorted().toArray();
        return String.format(Locale.ROOT, "%.0f-%.0f", v[0], v[v.length - 1]);
    }

    /** Seconds from the first native item's start to the last one's end in a run's start/end log. */
    static String nativeSpan(Path log) throws IOException {
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

    static String[] variants(String scenario) {
        return scenario.equals("A") ? A_VARIANTS : scenario.equals("B") ? B_VARIANTS : F_VARIANTS;
    }

    /** The median of a sampled figure over a variant's runs. */
    static int medianOf(List<Run> g, java.util.function.ToIntFunction<Run> f) {
        int[] v = g.stream().mapToInt(f).sorted().toArray();
        return v[v.length / 2];
    }

    /** "lo-hi" of a sampled figure over a variant's runs. */
    static String rangeOf(List<Run> g, java.util.function.ToIntFunction<Run> f) {
        int lo = g.stream().mapToInt(f).min().getAsInt();
        int hi = g.stream().mapToInt(f).max().getAsInt();
        return lo == hi ? "all " + lo : lo + "-" + hi;
    }

    static boolean jobserverVariant(String v) {
        return v.equals("claim") || v.equals("dynamic") || v.equals("serve");
    }

    /** Reads a run's start/end lines into intervals, busy time and peak. */
    static void measure(Run r, Path log) throws IOException {
        Map<String, Long> started = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.trim().split(" ");
            if (f.length != 3) {
                continue;
            }
            long t = Long.parseLong(f[2]);
            if (f[0].equals("start")) {
                started.put(f[1], t);
                String part = f[1].replaceAll("-.*", "");
                r.firstStart.merge(part, t, Math::min);
            } else if (f[0].equals("end") && started.containsKey(f[1])) {
                long s = started.remove(f[1]);
                r.intervals.add(new long[] {s, t});
                r.busy += (t - s) / 1e9;
            }
        }
        int running = 0;
        for (long[] e : events(r.intervals)) {
            running += e[1];
            r.peak = Math.max(r.peak, running);
        }
    }

    /** The intervals' starts (+1) and ends (-1) in time order, an end before a start at the same instant. */
    static List<long[]> events(List<long[]> intervals) {
        List<long[]> events = new ArrayList<>();
        for (long[] iv : intervals) {
            events.add(new long[] {iv[0], 1});
            events.add(new long[] {iv[1], -1});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        return events;
    }

    // ------------------------------------------------------------------------------------ the model

    /**
     * Scenario A under make's accounting: make -j{@code slots} starts its four rules at once (three Maven
     * reactors and the native make), so each process holds one slot for as long as it lives (its start-up
     * included) and runs an item beyond the first only on a token another process has given back by ending.
     * Items take {@code u}; each part's first item can start when it did in {@code run} (a reactor's start-up
     * as that run had it: three JVMs starting at once on this machine's cores). Returns {the makespan
     * of the schedule a simulation finds, giving each free slot to the ready item with the longest chain
     * left; no schedule under these rules can end before this: max(slot-seconds / slots, start + longest
     * chain)}.
     */
    static double[] modelA(double u, Run run, int slots) {
        // r1: a chain of 4 and six single modules; r2: two chains of 3 and four singles; r3: five chains of 2
        int[][] chains = {{4, 1, 1, 1, 1, 1, 1}, {3, 3, 1, 1, 1, 1}, {2, 2, 2, 2, 2}, {1, 1, 1, 1, 1, 1, 1, 1}};
        // when each could start its first item in that run: the reactors after their start-ups
        double[] ready = {run.readyAt("r1"), run.readyAt("r2"), run.readyAt("r3"), run.readyAt("native")};
        int processes = chains.length;
        int[][] left = new int[processes][];
        double[][] busyUntil = new double[processes][];
        int[] running = new int[processes];
        boolean[] alive = new boolean[processes];
        double area = 0;
        double longest = 0;
        for (int p = 0; p < processes; p++) {
            left[p] = chains[p].clone();
            busyUntil[p] = new double[chains[p].length];
            java.util.Arrays.fill(busyUntil[p], -1);
            alive[p] = true;
            area += ready[p];
            for (int c : chains[p]) {
                area += c * u;
                longest = Math.max(longest, ready[p] + c * u);
            }
        }
        double t = 0;
        double end = 0;
        int aliveCount = processes;
        while (aliveCount > 0) {
            // items that end now
            for (int p = 0; p < processes; p++) {
                for (int c = 0; c < left[p].length; c++) {
                    if (busyUntil[p][c] >= 0 && busyUntil[p][c] <= t + 1e-9) {
                        busyUntil[p][c] = -1;
                        left[p][c]--;
                        running[p]--;
                    }
                }
                boolean done = running[p] == 0 && java.util.Arrays.stream(left[p]).allMatch(n -> n == 0);
                if (alive[p] && done) {
                    alive[p] = false; // the rule ends: its slot goes back to make's pool
                    aliveCount--;
                    end = Math.max(end, t);
                }
            }
            // each live process first uses its own slot, then free tokens go to the longest chains left
            for (int p = 0; p < processes; p++) {
                if (alive[p] && running[p] == 0 && t >= ready[p] - 1e-9) {
                    int c = longestReady(left[p], busyUntil[p]);
                    if (c >= 0) {
                        busyUntil[p][c] = t + u;
                        running[p]++;
                    }
                }
            }
            while (true) {
                int used = aliveCount;
                for (int p = 0; p < processes; p++) {
                    used += alive[p] ? Math.max(0, running[p] - 1) : 0;
                }
                if (used >= slots) {
                    break;
                }
                int bestP = -1;
                int bestC = -1;
                for (int p = 0; p < processes; p++) {
                    if (alive[p] && running[p] > 0 && t >= ready[p] - 1e-9) {
                        int c = longestReady(left[p], busyUntil[p]);
                        if (c >= 0 && (bestP < 0 || left[p][c] > left[bestP][bestC])) {
                            bestP = p;
                            bestC = c;
                        }
                    }
                }
                if (bestP < 0) {
                    break;
                }
                busyUntil[bestP][bestC] = t + u;
                running[bestP]++;
            }
            // the next moment anything changes
            double next = Double.MAX_VALUE;
            for (int p = 0; p < processes; p++) {
                if (alive[p] && ready[p] > t + 1e-9) {
                    next = Math.min(next, ready[p]);
                }
                for (double b : busyUntil[p]) {
                    if (b >= 0) {
                        next = Math.min(next, b);
                    }
                }
            }
            if (next == Double.MAX_VALUE) {
                break;
            }
            t = next;
        }
        return new double[] {end, Math.max(area / slots, longest)};
    }

    /** The not-running chain with the most items left, or -1. */
    private static int longestReady(int[] left, double[] busyUntil) {
        int best = -1;
        for (int c = 0; c < left.length; c++) {
            if (left[c] > 0 && busyUntil[c] < 0 && (best < 0 || left[c] > left[best])) {
                best = c;
            }
        }
        return best;
    }

    static final class Startup {
        String text;
        Map<String, double[]> rows = new HashMap<>(); // "where/variant" -> {without, with}
        double makeExtension;
        double outsidePlain;

        static Startup read(Path file) throws IOException {
            Startup s = new Startup();
            s.text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            // "WHERE without A ms VARIANT B ms overhead ... [paired D ms ...]": the medians, and the median of
            // the rounds' differences where bench/startup printed it (shown in the text, not used for targets)
            String paired = "(?:.*paired\\s+([+-]?\\d+) ms)?";
            Matcher m = Pattern.compile("(?m)^(\\w+)\\s+without\\s+(\\d+) ms\\s+(\\w+)\\s+(\\d+) ms" + paired)
                    .matcher(s.text);
            while (m.find()) {
                s.rows.put(m.group(1) + "/" + m.group(3), row(m.group(2), m.group(4), m.group(5)));
            }
            // ours beside a trivial core extension (a jar with no components), where bench/startup measured one
            Matcher ours = Pattern.compile(
                            "(?m)^(\\w+)\\s+trivial\\s+(\\d+) ms\\s+extension\\s+(\\d+) ms\\s+ours" + paired)
                    .matcher(s.text);
            while (ours.find()) {
                s.rows.put(ours.group(1) + "/ours", row(ours.group(2), ours.group(3), ours.group(4)));
            }
            s.makeExtension = s.rows.get("make/extension")[1];
            s.outsidePlain = s.rows.get("outside/extension")[0];
            return s;
        }

        static double[] row(String without, String with, String paired) {
            return new double[] {Double.parseDouble(without) / 1e3, Double.parseDouble(with) / 1e3};
        }

        double pct(String where, String variant) {
            double[] r = rows.get(where + "/" + variant);
            return 100 * (r[1] - r[0]) / r[0];
        }
    }

    // ---------------------------------------------------------------------------------------------- SVG

    static final String FONT = "font-family=\"sans-serif\" font-size=\"12\"";

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String colour(String variant) {
        switch (variant) {
            case "dynamic":
            case "serve":
                return "#2a9d55";
            case "claim":
                return "#7cbf8e";
            case "t4":
            case "exec-j4":
                return "#d9534f";
            default:
                return "#8c8c8c";
        }
    }

    /** One row per variant: the number of items running over time (median run), and the limit N. */
    static String timeline(String title, List<List<Run>> groups) {
        int left = 190, width = 600, rowH = 80, top = 40, gap = 26;
        double tMax = 0;
        int yMax = 0;
        for (List<Run> g : groups) {
            Run m = g.get(g.size() / 2);
            tMax = Math.max(tMax, m.makespan());
            yMax = Math.max(yMax, Math.max(m.peak, m.n));
        }
        tMax = Math.ceil(tMax / 5) * 5;
        int height = top + groups.size() * (rowH + gap) + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" %s>%n",
                left + width + 30, height, FONT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", esc(title)));
        for (int i = 0; i < groups.size(); i++) {
            Run m = groups.get(i).get(groups.get(i).size() / 2);
            int y0 = top + i * (rowH + gap) + rowH; // baseline
            double sy = (double) rowH / yMax;
            double sx = width / tMax;
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n", y0 - rowH + 14,
                    esc(LABEL.get(m.variant))));
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">peak %d, %.1f s</text>%n", y0 - rowH + 30, m.peak,
                    m.makespan()));
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">occupancy %.2f</text>%n", y0 - rowH + 46, m.occupancy()));
            StringBuilder path = new StringBuilder(String.format(Locale.ROOT, "M%d,%d", left, y0));
            int running = 0;
            for (long[] e : events(m.intervals)) {
                double x = left + (e[0] - m.t0) / 1e9 * sx;
                path.append(String.format(Locale.ROOT, " L%.1f,%.1f", x, y0 - running * sy));
                running += e[1];
                path.append(String.format(Locale.ROOT, " L%.1f,%.1f", x, y0 - running * sy));
            }
            path.append(String.format(Locale.ROOT, " L%.1f,%d Z", left + m.makespan() * sx, y0));
            svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"%s\" fill-opacity=\"0.75\" stroke=\"%s\"/>%n", path,
                    colour(m.variant), colour(m.variant)));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", left, y0,
                    left + width, y0));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", left, y0,
                    left, y0 - rowH));
            double yn = y0 - m.n * sy;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#1f4e9c\" stroke-dasharray=\"5,3\"/>%n",
                    left, yn, left + width, yn));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"#1f4e9c\">N=%d</text>%n", left + width + 2, yn + 4, m.n));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%d</text>%n", left - 3,
                    y0 - rowH + 8, yMax));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" stroke-width=\"2\"/>%n",
                    left + m.makespan() * sx, y0 - rowH, left + m.makespan() * sx, y0));
            for (int t = 0; t <= tMax; t += 5) {
                double x = left + t * sx;
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%d s</text>%n",
                        x, y0 + 12, t));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">filled: items running; dashed: the limit N;"
                + " bar: the end of the run (make or Maven done)</text>%n", left, height - 8));
        return svg.append("</svg>\n").toString();
    }

    static final class Bar {
        final String group, label;
        final double makespan, lowerBound, withStartup;
        final boolean jobserver;

        Bar(String group, String label, double makespan, double lowerBound, double withStartup, boolean jobserver) {
            this.group = group;
            this.label = label;
            this.makespan = makespan;
            this.lowerBound = lowerBound;
            this.withStartup = withStartup;
            this.jobserver = jobserver;
        }
    }

    static String barChart(List<Bar> bars) {
        int left = 270, width = 500, barH = 18, top = 40;
        double max = 0;
        for (Bar b : bars) {
            max = Math.max(max, Math.max(b.makespan, b.withStartup));
        }
        max = Math.ceil(max / 5) * 5;
        double sx = width / max;
        StringBuilder body = new StringBuilder();
        int y = top;
        String group = null;
        for (Bar b : bars) {
            if (!b.group.equals(group)) {
                group = b.group;
                y += 10;
                body.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n", y + 12, esc(group)));
                y += 18;
            }
            body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", left - 6, y + 13,
                    esc(b.label)));
            body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", left, y,
                    b.makespan * sx, barH, b.jobserver ? "#2a9d55" : "#8c8c8c"));
            body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%.1f s</text>%n",
                    left + b.makespan * sx + 4, y + 13, b.makespan));
            body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" stroke-width=\"2\"/>%n",
                    left + b.lowerBound * sx, y - 2, left + b.lowerBound * sx, y + barH + 2));
            body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" stroke-dasharray=\"3,2\"/>%n",
                    left + b.withStartup * sx, y - 2, left + b.withStartup * sx, y + barH + 2));
            y += barH + 6;
        }
        int height = y + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" %s>%n",
                left + width + 60, height, FONT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Makespan (green: jobserver variants)</text>\n");
        svg.append(body);
        for (int t = 0; t <= max; t += 5) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%d s</text>%n",
                    left + t * sx, y + 8, t));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">solid tick: lower bound; dashed tick:"
                + " lower bound plus one Maven start-up</text>%n", left, height - 10));
        return svg.append("</svg>\n").toString();
    }
}
