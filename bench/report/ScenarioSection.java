package report;

import java.util.List;
import java.util.Locale;

/** A scenario's section of RESULTS.md: how each variant runs, then per flavour a timeline and a table. */
final class ScenarioSection {

    private ScenarioSection() {}

    static String render(String scenario, List<Case> cases) {
        StringBuilder md = new StringBuilder();
        md.append(scenario.equals("A")
                ? "## A. make drives Maven: `make -j4`, three reactors of 10 modules and a native make of 8 recipes\n\n"
                : scenario.equals("B")
                ? "## B. Maven drives make: `mvn -T 4`, four modules (three depend on the first), each a native make of 8 recipes\n\n"
                : "## F. Forked test JVMs: `make -j4`, four modules of four test classes in surefire forks (`forkCount=2`) and a native make of 8 recipes\n\n");
        md.append("| variant | how it runs |\n| --- | --- |\n");
        for (String v : Variants.of(scenario)) {
            md.append("| ").append(Variants.label(v)).append(" | ").append(Variants.command(scenario, v)).append(" |\n");
        }
        md.append('\n');
        for (Case c : cases) {
            flavour(md, c);
        }
        return md.toString();
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
