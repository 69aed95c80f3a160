package report;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** A scenario's section of RESULTS.md: how each variant runs, then per flavour a timeline and a table. */
final class ScenarioSection {

    private ScenarioSection() {}

    /** {@code ranAlone}: {date, command} when the scenario's runs came from a later {@code bench/run --only}, or null. */
    static String render(String scenario, List<Case> cases, String[] ranAlone) {
        StringBuilder md = new StringBuilder();
        md.append(scenario.equals("A")
                ? "## A. make drives Maven: `make -j4`, three reactors of 10 modules and a native make of 8 recipes\n\n"
                : scenario.equals("B")
                ? "## B. Maven drives make: `mvn -T 4`, four modules (three depend on the first), each a native make of 8 recipes\n\n"
                : scenario.equals("F")
                ? "## F. Forked test JVMs: `make -j4`, four modules of four test classes in surefire forks (`forkCount=2`) and a native make of 8 recipes\n\n"
                : "## S. The build as its own jobserver: `mvn -T 4 test` outside make, four modules of four test classes in surefire forks (`forkCount=2`)\n\n");
        md.append("| variant | how it runs |\n| --- | --- |\n");
        for (String v : Variants.of(scenario)) {
            md.append("| ").append(Variants.label(v)).append(" | ").append(Variants.command(scenario, v)).append(" |\n");
        }
        md.append('\n');
        if (scenario.equals("S")) {
            ownJobserver(md, cases, ranAlone);
        }
        for (Case c : cases) {
            flavour(md, c);
        }
        return md.toString();
    }

    /** What S's figures mean where they differ from the other scenarios'. */
    private static void ownJobserver(StringBuilder md, List<Case> cases, String[] ranAlone) {
        if (ranAlone != null) {
            md.append("Run on ").append(ranAlone[0]).append(" by `").append(ranAlone[1]).append("`, apart from the"
                    + " other scenarios, with their calibration (the CPU items are the same work).");
        }
        TreeSet<Integer> auto = new TreeSet<>(); // the N Maven logged for jobserver.jobs=auto
        for (Case c : cases) {
            VariantRuns g = c.variant("auto");
            if (g != null) {
                g.runs.forEach(r -> auto.add(r.n));
            }
        }
        md.append(ranAlone != null ? " " : "").append("No make anywhere: with `jobserver.jobs` Maven serves its own"
                + " jobserver and counts its tokens back at the end, saying it in make's words when some are missing"
                + " (`exiting with K jobserver tokens available; should be N!`), which is what **lost tokens** looks"
                + " for here.");
        if (!auto.isEmpty()) {
            md.append(" `auto` was N = ").append(auto.size() == 1 ? auto.first().toString() : auto.toString())
                    .append(" here (the processors the JVM sees, as Maven logged it), and its rows count peak and"
                    + " occupancy against that N; the lower bound is N = 4's.");
        }
        md.append(" **Start-up** = Maven's with the extension outside make; **peak test JVMs** = the most surefire fork"
                + " JVMs alive at once, as in F.\n\n");
    }

    /** One flavour of work: its heading with the lower bound, the timeline, and a row per variant. */
    private static void flavour(StringBuilder md, Case c) {
        md.append(String.format(Locale.ROOT, "### %s, %s (%d items of %.0f ms; lower bound %.1f s, plus one start-up %.1f s)%n%n",
                c.scenario, c.flavour.equals("timed") ? "timed waits" : "CPU burns", c.items, c.unit * 1e3, c.lowerBound,
                c.withStartUp()));
        md.append(String.format(Locale.ROOT, "![timeline](timeline-%s-%s.svg)%n%n", c.scenario, c.flavour));
        if (c.modelled()) {
            md.append(String.format(Locale.ROOT, "**What is structural.** Under make's accounting the four rules start at"
                    + " once, so each process holds one of the %d slots for as long as it lives, its start-up included,"
                    + " and runs a second item only on a slot another process gave back by ending. The last column is"
                    + " the best schedule a simulation of that finds for the same items (items of %.0f ms, each free"
                    + " slot to the ready item with the longest chain left), with each reactor's start-up as long as it"
                    + " was in that variant's median run (its first module's start), and in brackets what no schedule can"
                    + " beat (slot-seconds / slots, start-up + longest chain): a makespan above it is Maven's own cost per"
                    + " module and at its end, or ours.%n%n",
                    c.n, c.unit * 1e3));
        }
        md.append("| variant | peak (N=" + c.n + ")" + (c.forks() ? " | peak test JVMs" : "")
                + " | peak RSS of the tree | occupancy | makespan | makespan / (lower bound + start-up) | runs (makespan range) | lost tokens | exit |"
                + (c.modelled() ? " start-ups (r1, r2, r3) | simulated best under make [bound] | makespan / simulated |" : "") + "\n");
        md.append("| --- | --- |" + (c.forks() ? " --- |" : "") + " --- | --- | --- | --- | --- | --- | --- |"
                + (c.modelled() ? " --- | --- | --- |" : "") + "\n");
        for (VariantRuns g : c.variants) {
            md.append(row(c, g));
        }
        md.append('\n');
    }

    /** A variant's row: its median run's figures, the sampled ones as median (range) over the runs. */
    private static String row(Case c, VariantRuns g) {
        Run m = g.median();
        double[] model = c.modelled() ? Simulation.best(c.unit, m, m.n) : null;
        return String.format(Locale.ROOT, "| %s | %s |%s %s | %.2f | %.1f s | %.2f | %d (%.1f-%.1f s) | %s | %d |%s%n",
                Variants.label(m.variant), m.peak > m.n ? "**" + m.peak + "**" : "" + m.peak,
                c.forks() ? " " + g.medianOf(r -> r.testJvms) + " (" + g.rangeOf(r -> r.testJvms) + ") |" : "",
                m.rssKb < 0 ? "not sampled" : String.format(Locale.ROOT, "%d MiB (%s)", g.medianOf(VariantRuns::rssMiB),
                        g.rangeOf(VariantRuns::rssMiB)),
                m.occupancy(),
                m.makespan(), m.makespan() / c.withStartUp(), g.size(), g.fastest().makespan(),
                g.slowest().makespan(), g.anyLost() ? "**yes**" : "none", g.worstExit(),
                model != null ? String.format(Locale.ROOT, " %.1f, %.1f, %.1f s | %.1f s [%.1f s] | %.2f |", m.readyAt("r1"),
                        m.readyAt("r2"), m.readyAt("r3"), model[0], model[1], m.makespan() / model[0]) : "");
    }
}
