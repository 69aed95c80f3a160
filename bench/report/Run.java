package report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of one variant: its row in raw/runs.tsv and the work items its start/end log shows. Peak = most
 * items running at once (across the whole tree); busy = the sum of the items' durations; makespan = from the
 * top command's start to its end (Maven start-up included); occupancy = busy / (N x makespan).
 */
final class Run {
    String scenario, flavour, variant, log;
    int rep, n, exit, items, chain;
    long t0, t1;
    boolean lost;
    final List<long[]> intervals = new ArrayList<>(); // {start, end} in ns since the epoch
    int peak;
    double busy; // seconds
    long rssKb = -1; // the most resident memory of the whole process tree at once (sampled), -1: not sampled
    int testJvms = -1; // the most surefire test JVMs alive at once (sampled)
    final Map<String, Long> firstStart = new HashMap<>(); // by part (r1, native, ...): its first item's start, ns

    /** Records a work item that ran from {@code start} to {@code end} (ns since the epoch). */
    void item(long start, long end) {
        intervals.add(new long[] {start, end});
        busy += (end - start) / 1e9;
    }

    /** Counts the most items running at once, once every item is recorded. */
    void countPeak() {
        int running = 0;
        for (long[] e : events(intervals)) {
            running += e[1];
            peak = Math.max(peak, running);
        }
    }

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
}
