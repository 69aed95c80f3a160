package io.github.jobserver.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReactorWidthTest {

    /** before[a][b] from edges "a must finish before b", closed transitively. */
    private static boolean[][] order(int n, int[]... edges) {
        boolean[][] before = new boolean[n][n];
        for (int[] e : edges) {
            before[e[0]][e[1]] = true;
        }
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    before[i][j] |= before[i][k] && before[k][j];
                }
            }
        }
        return before;
    }

    @Test
    void independentModulesAllRunAtOnce() {
        assertEquals(6, ReactorWidth.of(order(6)));
    }

    @Test
    void aChainRunsOneAtATime() {
        assertEquals(1, ReactorWidth.of(order(4, new int[] {0, 1}, new int[] {1, 2}, new int[] {2, 3})));
    }

    @Test
    void aParentWithSixChildrenIsSixWide() {
        assertEquals(
                6,
                ReactorWidth.of(order(
                        7,
                        new int[] {0, 1},
                        new int[] {0, 2},
                        new int[] {0, 3},
                        new int[] {0, 4},
                        new int[] {0, 5},
                        new int[] {0, 6})));
    }

    @Test
    void twoChainsSideBySideAreTwoWide() {
        assertEquals(
                2, ReactorWidth.of(order(6, new int[] {0, 1}, new int[] {1, 2}, new int[] {3, 4}, new int[] {4, 5})));
    }

    @Test
    void aDiamondIsTwoWide() {
        // the largest antichain, not the largest level: 0 -> {1,2} -> 3
        assertEquals(
                2, ReactorWidth.of(order(4, new int[] {0, 1}, new int[] {0, 2}, new int[] {1, 3}, new int[] {2, 3})));
    }

    @Test
    void widthCanExceedEveryLevel() {
        // levels {0,3} {1} {2,...}: 0->1->2 and 3 alone; 4 depends on 0 only. Antichain {1,3,4} = 3, no level has 3.
        assertEquals(3, ReactorWidth.of(order(5, new int[] {0, 1}, new int[] {1, 2}, new int[] {0, 4})));
    }

    @Test
    void heightsCountTheLongestPathToTheEnd() {
        // 0 -> 1 -> 2 -> 3 is a chain; 4 is alone; 5 waits on 0 only
        int[] h =
                ReactorWidth.heights(order(6, new int[] {0, 1}, new int[] {1, 2}, new int[] {2, 3}, new int[] {0, 5}));
        assertEquals("[4, 3, 2, 1, 1, 1]", java.util.Arrays.toString(h));
    }
}
