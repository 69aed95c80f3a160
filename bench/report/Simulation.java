package report;

import java.util.Arrays;

/** The best schedule of scenario A's timed items under make's accounting, found by simulating it. */
final class Simulation {

    private Simulation() {}

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
    static double[] best(double u, Run run, int slots) {
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
            Arrays.fill(busyUntil[p], -1);
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
                boolean done = running[p] == 0 && Arrays.stream(left[p]).allMatch(n -> n == 0);
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
}
