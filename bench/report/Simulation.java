package report;

import java.util.Arrays;

/** The best schedule of scenario A's timed items under make's accounting, found by simulating it. */
final class Simulation {
    // by process: r1, a chain of 4 and six single modules; r2, two chains of 3 and four singles; r3, five
    // chains of 2; the native make, eight single recipes
    private static final int[][] CHAINS = {{4, 1, 1, 1, 1, 1, 1}, {3, 3, 1, 1, 1, 1}, {2, 2, 2, 2, 2}, {1, 1, 1, 1, 1, 1, 1, 1}};
    private static final double EPSILON = 1e-9; // seconds: what counts as the same instant

    private final double u;
    private final int slots;
    private final double[] ready; // by process: when its first item could start
    private final int[][] left = new int[CHAINS.length][]; // by process and chain: items not yet done
    private final double[][] busyUntil = new double[CHAINS.length][]; // by process and chain: its item's end, -1: idle
    private final int[] running = new int[CHAINS.length];
    private final boolean[] alive = new boolean[CHAINS.length];
    private int aliveCount = CHAINS.length;
    private double t;
    private double end;

    private Simulation(double u, int slots, double[] ready) {
        this.u = u;
        this.slots = slots;
        this.ready = ready;
        for (int p = 0; p < CHAINS.length; p++) {
            left[p] = CHAINS[p].clone();
            busyUntil[p] = new double[CHAINS[p].length];
            Arrays.fill(busyUntil[p], -1);
            alive[p] = true;
        }
    }

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
        // when each could start its first item in that run: the reactors after their start-ups
        double[] ready = {run.readyAt("r1"), run.readyAt("r2"), run.readyAt("r3"), run.readyAt("native")};
        Simulation s = new Simulation(u, slots, ready);
        while (s.aliveCount > 0) {
            s.endItems();
            s.startOwn();
            s.handOutTokens();
            double next = s.next();
            if (next == Double.MAX_VALUE) {
                break;
            }
            s.t = next;
        }
        return new double[] {s.end, s.bound()};
    }

    /** max(slot-seconds / slots, start + longest chain). */
    private double bound() {
        double area = 0;
        double longest = 0;
        for (int p = 0; p < CHAINS.length; p++) {
            area += ready[p];
            for (int c : CHAINS[p]) {
                area += c * u;
                longest = Math.max(longest, ready[p] + c * u);
            }
        }
        return Math.max(area / slots, longest);
    }

    /** Items that end now; a process with nothing left ends, its slot going back to make's pool. */
    private void endItems() {
        for (int p = 0; p < CHAINS.length; p++) {
            for (int c = 0; c < left[p].length; c++) {
                if (busyUntil[p][c] >= 0 && busyUntil[p][c] <= t + EPSILON) {
                    busyUntil[p][c] = -1;
                    left[p][c]--;
                    running[p]--;
                }
            }
            boolean done = running[p] == 0 && Arrays.stream(left[p]).allMatch(n -> n == 0);
            if (alive[p] && done) {
                alive[p] = false;
                aliveCount--;
                end = Math.max(end, t);
            }
        }
    }

    /** Each live process first uses its own slot. */
    private void startOwn() {
        for (int p = 0; p < CHAINS.length; p++) {
            if (alive[p] && running[p] == 0 && t >= ready[p] - EPSILON) {
                int c = longestReady(left[p], busyUntil[p]);
                if (c >= 0) {
                    busyUntil[p][c] = t + u;
                    running[p]++;
                }
            }
        }
    }

    /** Free tokens go to the longest chains left, across the processes. */
    private void handOutTokens() {
        while (tokensHeld() < slots) {
            int bestP = -1;
            int bestC = -1;
            for (int p = 0; p < CHAINS.length; p++) {
                if (alive[p] && running[p] > 0 && t >= ready[p] - EPSILON) {
                    int c = longestReady(left[p], busyUntil[p]);
                    if (c >= 0 && (bestP < 0 || left[p][c] > left[bestP][bestC])) {
                        bestP = p;
                        bestC = c;
                    }
                }
            }
            if (bestP < 0) {
                return;
            }
            busyUntil[bestP][bestC] = t + u;
            running[bestP]++;
        }
    }

    /** Slots in use: each live process's own, and a token for every item it runs beyond its first. */
    private int tokensHeld() {
        int used = aliveCount;
        for (int p = 0; p < CHAINS.length; p++) {
            used += alive[p] ? Math.max(0, running[p] - 1) : 0;
        }
        return used;
    }

    /** The next moment anything changes: an item's end or a process becoming ready, or MAX_VALUE. */
    private double next() {
        double next = Double.MAX_VALUE;
        for (int p = 0; p < CHAINS.length; p++) {
            if (alive[p] && ready[p] > t + EPSILON) {
                next = Math.min(next, ready[p]);
            }
            for (double b : busyUntil[p]) {
                if (b >= 0) {
                    next = Math.min(next, b);
                }
            }
        }
        return next;
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
