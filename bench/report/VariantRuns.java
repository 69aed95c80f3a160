package report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/** The runs of one variant in one case, fastest first; figures are the median run's unless said. */
final class VariantRuns {
    final List<Run> runs;

    VariantRuns(List<Run> runs) {
        this.runs = new ArrayList<>(runs);
        this.runs.sort(Comparator.comparingDouble(Run::makespan));
    }

    /** The run with the median makespan (the later of two middles). */
    Run median() {
        return runs.get(runs.size() / 2);
    }

    Run fastest() {
        return runs.get(0);
    }

    Run slowest() {
        return runs.get(runs.size() - 1);
    }

    int size() {
        return runs.size();
    }

    boolean anyLost() {
        return runs.stream().anyMatch(r -> r.lost);
    }

    int worstExit() {
        return runs.stream().mapToInt(r -> r.exit).max().getAsInt();
    }

    int worstPeak() {
        return maxOf(r -> r.peak);
    }

    /** The highest of a figure over the runs. */
    int maxOf(ToIntFunction<Run> f) {
        return runs.stream().mapToInt(f).max().getAsInt();
    }

    /** The median of a sampled figure over the runs (the later of two middles). */
    int medianOf(ToIntFunction<Run> f) {
        int[] v = runs.stream().mapToInt(f).sorted().toArray();
        return v[v.length / 2];
    }

    /** "lo-hi" of a sampled figure over the runs, "all N" when they agree. */
    String rangeOf(ToIntFunction<Run> f) {
        int lo = runs.stream().mapToInt(f).min().getAsInt();
        int hi = maxOf(f);
        return lo == hi ? "all " + lo : lo + "-" + hi;
    }

    static int rssMiB(Run r) {
        return (int) (r.rssKb / 1024);
    }
}
