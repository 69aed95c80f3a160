package io.github.jobserver.maven;

import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.MojoExecution;

/**
 * What the forking-goal tests share: executions of a plugin's goal as Maven makes them, and configured mojos
 * shaped as surefire's and invoker's are where the extension looks (surefire itself is not on the test class
 * path, the forks IT runs the real one; {@code InvokerForksTest} also checks the real invoker's class).
 */
final class Mojos {
    private Mojos() {}

    /** An execution of {@code org.apache.maven.plugins:artifactId:goal}. */
    static MojoExecution execution(String artifactId, String goal) {
        return execution("org.apache.maven.plugins", artifactId, goal);
    }

    static MojoExecution execution(String groupId, String artifactId, String goal) {
        Plugin plugin = new Plugin();
        plugin.setGroupId(groupId);
        plugin.setArtifactId(artifactId);
        return new MojoExecution(plugin, goal, "default-" + goal);
    }

    /** Surefire's fields live in its abstract superclass, read by private getters as well as public ones. */
    abstract static class AbstractSurefire {
        private String forkCount;
        private boolean skipTests;

        AbstractSurefire(String forkCount, boolean skipTests) {
            this.forkCount = forkCount;
            this.skipTests = skipTests;
        }

        String forkCount() {
            return forkCount;
        }

        private boolean isSkipTests() {
            return skipTests;
        }
    }

    /** A configured surefire mojo (2.14 and later). */
    static final class Surefire extends AbstractSurefire {
        Surefire(String forkCount) {
            super(forkCount, false);
        }

        Surefire(String forkCount, boolean skipTests) {
            super(forkCount, skipTests);
        }
    }

    /** Surefire 2.12.4 (Maven 3.6's default): no {@code forkCount}. */
    static final class OldSurefire {
        int forkMode = 1;
    }

    /** A {@code forkCount} of another type than surefire's. */
    static final class NumberForkCount {
        int forkCount = 4;
    }

    /** A {@code forkCount} that can be read and not set (as when a module system refuses). */
    static final class FixedForkCount {
        private static final String forkCount = "4";

        String forkCount() {
            return forkCount;
        }
    }

    /** Invoker's settings live in its abstract superclass as plain fields, with no getters. */
    abstract static class AbstractInvoker {
        private boolean skipInvocation;
        private String parallelThreads;

        AbstractInvoker(String parallelThreads, boolean skipInvocation) {
            this.parallelThreads = parallelThreads;
            this.skipInvocation = skipInvocation;
        }

        String parallelThreads() {
            return parallelThreads;
        }
    }

    /** A configured {@code invoker:run} (3.2.2 and later). */
    static final class Invoker extends AbstractInvoker {
        Invoker(String parallelThreads) {
            super(parallelThreads, false);
        }

        Invoker(String parallelThreads, boolean skipInvocation) {
            super(parallelThreads, skipInvocation);
        }
    }

    /** Invoker 1.6 to 3.2.1: an {@code int parallelThreads}. */
    static final class IntInvoker {
        private boolean skipInvocation;
        private int parallelThreads;

        IntInvoker(int parallelThreads, boolean skipInvocation) {
            this.parallelThreads = parallelThreads;
            this.skipInvocation = skipInvocation;
        }

        int parallelThreads() {
            return parallelThreads;
        }
    }

    /** Invoker before 1.6: no {@code parallelThreads}. */
    static final class OldInvoker {
        private boolean skipInvocation;
    }
}
