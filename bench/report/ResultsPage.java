package report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** RESULTS.md: the machine, the definitions, the targets, each scenario, section R and the overheads. */
final class ResultsPage {

    private ResultsPage() {}

    /**
     * {@code alone} is bench/startup run alone (DIR/startup.txt), or null; {@code resolver} is section R, or
     * null when bench/resolver was not run.
     */
    static String render(Bench bench, List<Case> cases, Startup alone, ResolverRuns resolver) {
        StringBuilder md = new StringBuilder();
        head(md, bench);
        md.append(Targets.render(cases, bench.startup, alone != null ? alone : bench.startup, bench.roundTrip));
        for (String scenario : Variants.SCENARIOS) {
            List<Case> of = new ArrayList<>();
            for (Case c : cases) {
                if (c.scenario.equals(scenario)) {
                    of.add(c);
                }
            }
            if (!of.isEmpty()) { // an older run may lack a scenario
                md.append(ScenarioSection.render(scenario, of, bench.ranAlone.get(scenario)));
            }
        }
        md.append("## Makespan against the lower bound\n\n![makespan](makespan.svg)\n\n");
        md.append(ResolverSection.render(resolver));
        overheads(md, bench, alone);
        return md.toString();
    }

    /** Where the figures come from, the machine, and what each column means. */
    private static void head(StringBuilder md, Bench bench) {
        md.append("# Benchmark results\n\n");
        md.append("Written by `bench/run").append(bench.quick() ? " --quick" : "")
                .append("` (then `java bench/Report.java bench/results`) on ").append(bench.machine.get("date"))
                .append(". Raw logs: [`raw/`](raw). What each scenario is, and how to rerun it: `bench/run`'s header.\n\n");
        md.append("| machine | |\n| --- | --- |\n");
        for (String k : new String[] {"mode", "cpu", "memory", "os", "java", "maven", "make", "awk"}) {
            md.append("| ").append(k).append(" | ").append(bench.machine.getOrDefault(k, "?")).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "| one work item alone | timed %.0f ms, cpu %.0f ms (%s awk loop turns) |%n%n",
                bench.unit.get("timed") * 1e3, bench.unit.get("cpu") * 1e3, bench.machine.get("iterations")));
        md.append("Definitions: **peak** = most work items (Maven modules' and native recipes' alike) running at once"
                + " across the whole tree; **occupancy** = busy item-seconds / (N x makespan); **makespan** = the top"
                + " command's wall time, Maven start-ups included; **lower bound** = max(items x item / N, longest"
                + " chain x item) with N = " + bench.machine.get("N") + ", and for CPU burns items x item / min(N, cores),"
                + " since " + bench.cores() + " cores cannot burn faster; **start-up** = one Maven start-up as measured below"
                + " (A: with the extension under make; B: plain Maven). Each figure is from the run with the median"
                + " makespan; the range is over all runs of that variant. Lost tokens: make's `INTERNAL: Exiting with`"
                + " check (A, F) or serve's count (B) in any run. **Peak RSS of the tree** = the most resident memory"
                + " of the top command and all its descendants at once, sampled every 100 ms (median over the runs,"
                + " and their range); **peak test JVMs** (F) = the most surefire fork JVMs alive at once, sampled"
                + " the same way (a test JVM lives longer than the test classes it runs).\n\n");
    }

    private static void overheads(StringBuilder md, Bench bench, Startup alone) {
        md.append("## Overheads\n\nMaven start-up (`bench/startup`, median of alternating runs of `mvn -B -q validate` on a"
                + " one-module project):\n\n```\n").append(bench.startup.text).append("```\n\n");
        if (alone != null) {
            md.append("`bench/startup 15` run alone, with a trivial core extension (a jar with no components) beside ours,"
                    + " so Maven's price of any core extension and ours show apart ([`startup.txt`](startup.txt)):\n\n```\n")
                    .append(alone.text).append("```\n\n");
        }
        md.append("The library's round trip and the client's cold start (`RoundTripBench`, one fresh JVM per back end):\n\n```\n")
                .append(bench.roundTrip.text).append("```\n\n");
    }
}
