package report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** RESULTS.md's targets table: each target, what was measured, met or missed. */
final class Targets {
    private final List<String> rows = new ArrayList<>();

    private Targets() {}

    /**
     * {@code alone} is bench/startup run alone (DIR/startup.txt, with a trivial core extension beside ours),
     * or the suite's own start-up figures when it was not run.
     */
    static String render(List<Case> cases, Startup startup, Startup alone, RoundTrip roundTrip) {
        Targets t = new Targets();
        for (Case c : cases) {
            for (VariantRuns g : c.variants) {
                t.schedule(c, g);
                t.ownJobserver(c, g);
            }
        }
        t.startup(startup, alone);
        for (RoundTrip.Row r : roundTrip.rows) {
            t.rows.add(String.format(Locale.ROOT, "| round trip, %s, %s back end | <= 2x bare read+write | %s ns vs %s ns: %.2fx | %s |",
                    r.kind, r.backend, r.acquire, r.bare, r.ratio, met(r.ratio <= 2)));
        }
        StringBuilder head = new StringBuilder();
        head.append("## Targets\n\n| where | target | measured | |\n| --- | --- | --- | --- |\n");
        for (String row : t.rows) {
            head.append(row).append('\n');
        }
        return head.append('\n').toString();
    }

    private static String met(boolean met) {
        return met ? "met" : "**missed**";
    }

    /** A jobserver variant never runs more than N at once; dynamic and serve also keep the slots busy. */
    private void schedule(Case c, VariantRuns g) {
        Run m = g.median();
        String where = c.scenario + " " + c.flavour + ", " + Variants.label(m.variant);
        if (Variants.jobserver(m.variant)) {
            int worst = g.worstPeak();
            rows.add(String.format(Locale.ROOT, "| %s | peak <= %d | %d (worst of %d runs) | %s |",
                    where, m.n, worst, g.size(), met(worst <= m.n)));
        }
        if (Variants.targeted(m.variant)) {
            rows.add(String.format(Locale.ROOT, "| %s | occupancy >= 0.9 | %.2f | %s |", where, m.occupancy(),
                    met(m.occupancy() >= 0.9)));
            rows.add(String.format(Locale.ROOT, "| %s | makespan <= 1.1 x (lower bound + start-up) = %.1f s | %.1f s | %s |",
                    where, 1.1 * c.withStartUp(), m.makespan(), met(m.makespan() <= 1.1 * c.withStartUp())));
        }
    }

    /**
     * S (issue 23's aim for a build that is its own jobserver): against plain {@code mvn -T 4}, no more test JVMs at
     * once than the jobserver's N, a third less resident memory at peak (medians over the runs), and a makespan no
     * worse (the median runs').
     */
    private void ownJobserver(Case c, VariantRuns g) {
        Run m = g.median();
        VariantRuns base = c.variant("t4");
        if (!c.scenario.equals("S") || !Variants.jobserver(m.variant) || base == null) {
            return;
        }
        String where = c.scenario + " " + c.flavour + ", " + Variants.label(m.variant);
        int jvms = g.maxOf(r -> r.testJvms);
        rows.add(String.format(Locale.ROOT, "| %s | test JVMs at once <= %d | %d (worst of %d runs) | %s |",
                where, m.n, jvms, g.size(), met(jvms <= m.n)));
        int baseRss = base.medianOf(VariantRuns::rssMiB), rss = g.medianOf(VariantRuns::rssMiB);
        rows.add(String.format(Locale.ROOT, "| %s | peak RSS <= 2/3 of %s's (%d MiB) = %.0f MiB | %d MiB (%+.1f%%) | %s |",
                where, Variants.label("t4"), baseRss, baseRss * 2 / 3.0, rss, 100.0 * (rss - baseRss) / baseRss,
                met(rss <= baseRss * 2 / 3.0)));
        double baseMakespan = base.median().makespan();
        rows.add(String.format(Locale.ROOT, "| %s | makespan <= %s's = %.2f s | %.2f s | %s |",
                where, Variants.label("t4"), baseMakespan, m.makespan(), met(m.makespan() <= baseMakespan)));
    }

    private void startup(Startup startup, Startup alone) {
        rows.add(String.format(Locale.ROOT, "| start-up outside make, extension in `.mvn/extensions.xml` | <= 2%% | %+.1f%% | %s |",
                startup.pct("outside", "extension"), met(startup.pct("outside", "extension") <= 2)));
        rows.add(String.format(Locale.ROOT, "| start-up outside make, extension on Maven's class path | <= 2%% | %+.1f%% | %s |",
                startup.pct("outside", "classpath"), met(startup.pct("outside", "classpath") <= 2)));
        for (String where : new String[] {"outside", "make"}) {
            if (alone.rows.containsKey(where + "/ours")) { // what we add to Maven's price of any core extension
                double limit = where.equals("outside") ? 2 : 5;
                rows.add(String.format(Locale.ROOT, "| start-up %s make, ours above a trivial core extension | <= %.0f%% | %+.1f%% | %s |",
                        where.equals("outside") ? "outside" : "under", limit, alone.pct(where, "ours"),
                        met(alone.pct(where, "ours") <= limit)));
            }
        }
        if (alone.rows.containsKey("span/ours") && alone.rows.containsKey("make/ours")) {
            // the same under make, from Maven's first log line to its exit (Maven's own timestamps), as a share of
            // the trivial extension's whole start-up: our decision and session without the JVM's start's noise
            double[] span = alone.rows.get("span/ours");
            double pct = 100 * (span[1] - span[0]) / alone.rows.get("make/ours")[0];
            rows.add(String.format(Locale.ROOT, "| start-up under make, ours above a trivial core extension after the JVM's start (`span`) | <= 5%% | %+.1f%% | %s |",
                    pct, met(pct <= 5)));
        }
        rows.add(String.format(Locale.ROOT, "| start-up under make, extension in `.mvn/extensions.xml` | <= 5%% | %+.1f%% | %s |",
                startup.pct("make", "extension"), met(startup.pct("make", "extension") <= 5)));
        rows.add(String.format(Locale.ROOT, "| start-up under make, extension on Maven's class path | <= 5%% | %+.1f%% | %s |",
                startup.pct("make", "classpath"), met(startup.pct("make", "classpath") <= 5)));
    }
}
