package report;

import java.util.List;

/**
 * One scenario with one flavour of work items (timed waits or CPU burns): its variants' runs and what no
 * schedule can beat. Lower bound = max(items x unit / N, longest chain x unit), for CPU burns items x unit /
 * min(N, cores), unit being one item's duration measured alone on the idle machine before the runs.
 */
final class Case {
    final String scenario, flavour;
    final List<VariantRuns> variants; // in the scenario's order, those that ran
    final double unit; // seconds per item
    final int n, items;
    final double lowerBound; // seconds
    final double startUp; // one Maven start-up, seconds (A, F: with the extension under make; B: plain Maven; S: with the
    // extension outside make)

    Case(String scenario, String flavour, List<VariantRuns> variants, double unit, int cores, double startUp) {
        this.scenario = scenario;
        this.flavour = flavour;
        this.variants = variants;
        this.unit = unit;
        Run any = variants.get(0).fastest();
        this.n = any.n;
        this.items = any.items;
        // CPU work cannot finish faster than the cores allow, whatever N says
        int lanes = flavour.equals("cpu") ? Math.min(any.n, cores) : any.n;
        this.lowerBound = Math.max(any.items * unit / lanes, any.chain * unit);
        this.startUp = startUp;
    }

    double withStartUp() {
        return lowerBound + startUp;
    }

    /** Scenario A with timed waits, the case {@link Simulation} models. */
    boolean modelled() {
        return scenario.equals("A") && flavour.equals("timed");
    }

    /** Scenarios F and S, where test JVMs are counted too. */
    boolean forks() {
        return scenario.equals("F") || scenario.equals("S");
    }

    /** The runs of {@code variant}, or null when it did not run. */
    VariantRuns variant(String variant) {
        for (VariantRuns g : variants) {
            if (g.median().variant.equals(variant)) {
                return g;
            }
        }
        return null;
    }

    String name() {
        return scenario + " " + flavour;
    }
}
