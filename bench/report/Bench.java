package report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Everything one bench/run measured, as read from DIR/raw. */
final class Bench {
    final Map<String, String> machine; // machine.tsv's rows: what the runs ran on, and how
    final Map<String, Double> unit; // seconds per work item alone, by flavour
    final List<Run> runs = new ArrayList<>();
    final Map<String, String[]> ranAlone = new HashMap<>(); // by scenario: {date, command} of a bench/run --only
    Startup startup;
    RoundTrip roundTrip;

    Bench(Map<String, String> machine, Map<String, Double> unit) {
        this.machine = machine;
        this.unit = unit;
    }

    int cores() {
        return Integer.parseInt(machine.get("cpu").replaceAll("^(\\d+).*", "$1"));
    }

    boolean quick() {
        return machine.get("mode").startsWith("--quick");
    }

    /** Every scenario and flavour that ran, in the scenarios' order, timed before cpu. */
    List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String scenario : Variants.SCENARIOS) {
            double startUp = scenario.equals("B") ? startup.outsidePlain
                    : scenario.equals("S") ? startup.outsideExtension : startup.makeExtension;
            for (String flavour : Variants.FLAVOURS) {
                List<VariantRuns> shown = new ArrayList<>();
                for (String v : Variants.of(scenario)) {
                    List<Run> g = new ArrayList<>();
                    for (Run r : runs) {
                        if (r.scenario.equals(scenario) && r.flavour.equals(flavour) && r.variant.equals(v)) {
                            g.add(r);
                        }
                    }
                    if (!g.isEmpty()) {
                        shown.add(new VariantRuns(g));
                    }
                }
                if (!shown.isEmpty()) {
                    cases.add(new Case(scenario, flavour, shown, unit.get(flavour), cores(), startUp));
                }
            }
        }
        return cases;
    }
}
