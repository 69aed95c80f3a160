package io.github.jobserver.maven;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.execution.ProjectDependencyGraph;
import org.apache.maven.project.MavenProject;

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

    /** The reactor's dependency order as the jobserver sees it: its width and each module's height. */
    static final class Reactor {
        final int width;
        final Map<String, Integer> heights;

        Reactor(int width, Map<String, Integer> heights) {
            this.width = width;
            this.heights = heights;
        }

        static Reactor of(MavenSession session) {
            ProjectDependencyGraph graph = session.getProjectDependencyGraph();
            List<MavenProject> projects = graph != null ? graph.getSortedProjects() : session.getProjects();
            if (projects == null || projects.isEmpty()) {
                return new Reactor(1, Collections.emptyMap());
            }
            if (graph == null) {
                return new Reactor(projects.size(), Collections.emptyMap());
            }
            boolean[][] before = new boolean[projects.size()][projects.size()];
            for (int b = 0; b < projects.size(); b++) {
                for (MavenProject upstream : graph.getUpstreamProjects(projects.get(b), true)) {
                    int a = projects.indexOf(upstream);
                    if (a >= 0) {
                        before[a][b] = true;
                    }
                }
            }
            int[] height = ReactorWidth.heights(before);
            Map<String, Integer> heights = new HashMap<>();
            for (int i = 0; i < projects.size(); i++) {
                heights.put(JobserverProjectListener.moduleKey(projects.get(i)), height[i]);
            }
            return new Reactor(Math.max(1, ReactorWidth.of(before)), heights);
        }
    }
}
