package io.github.jobserver.maven;

import java.util.Arrays;

/**
 * The most modules a reactor can ever build at once: the width (largest antichain) of its dependency
 * order, which by Dilworth's theorem is n minus a maximum matching in the bipartite graph of
 * "a must finish before b" pairs. Holding more tokens than this would hold tokens no module can use.
 */
final class ReactorWidth {
    private ReactorWidth() {}

    /**
     * @param before {@code before[a][b]} is true when module a must finish before b starts (transitively)
     */
    static int of(boolean[][] before) {
        int n = before.length;
        int[] matchedTo = new int[n];
        Arrays.fill(matchedTo, -1);
        int matching = 0;
        for (int a = 0; a < n; a++) {
            if (augment(a, before, matchedTo, new boolean[n])) {
                matching++;
            }
        }
        return n - matching;
    }

    /**
     * Each module's height: the most modules on any path from it to the end of the reactor, itself
     * included. The higher a module, the longer the build behind it waits on it: it goes first.
     *
     * @param before as for {@link #of}, with modules in a build order (every module after its upstreams)
     */
    static int[] heights(boolean[][] before) {
        int n = before.length;
        int[] height = new int[n];
        for (int a = n - 1; a >= 0; a--) {
            height[a] = 1;
            for (int b = a + 1; b < n; b++) {
                if (before[a][b]) {
                    height[a] = Math.max(height[a], 1 + height[b]);
                }
            }
        }
        return height;
    }

    private static boolean augment(int a, boolean[][] before, int[] matchedTo, boolean[] seen) {
        for (int b = 0; b < before.length; b++) {
            if (before[a][b] && !seen[b]) {
                seen[b] = true;
                if (matchedTo[b] < 0 || augment(matchedTo[b], before, matchedTo, seen)) {
                    matchedTo[b] = a;
                    return true;
                }
            }
        }
        return false;
    }
}
