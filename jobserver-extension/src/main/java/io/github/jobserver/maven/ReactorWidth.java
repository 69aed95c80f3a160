package io.github.jobserver.maven;

import java.util.Arrays;

/**
 * The most modules a reactor can ever build at once: the width (largest antichain) of its dependency
 * order, which by Dilworth's theorem is n minus a maximum matching in the bipartite graph of
 * "a must finish before b" pairs. Holding more tokens than this would hold tokens no module can use.
 */
final class ReactorWidth {
    private ReactorWidth() {
    }

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
