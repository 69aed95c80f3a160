package io.github.jobserver.maven;

import java.lang.reflect.Field;
import org.apache.maven.plugin.MojoExecution;

/**
 * The test JVMs a surefire or failsafe execution forks at once ({@code forkCount}, surefire 2.14 and later).
 * Surefire parses {@code forkCount} only when it first needs it (inside {@code execute()}), so the value set
 * here is the one it runs with. Older surefires (2.12.4, the default of Maven 3.6's super-POM) have no
 * {@code forkCount} and are left alone.
 */
final class SurefireForks extends ForkingGoal {
    private static final String FORK_COUNT = "forkCount";
    /** Surefire's and failsafe's ways to skip the tests; any of them true and nothing forks. */
    private static final String[] SKIPS = {"isSkip", "isSkipTests", "isSkipExec"};

    SurefireForks() {
        super(FORK_COUNT, "JVM");
    }

    @Override
    boolean matches(MojoExecution execution) {
        return isPlugin(execution, "maven-surefire-plugin") || isPlugin(execution, "maven-failsafe-plugin");
    }

    @Override
    int requested(Object mojo) {
        Field field = MojoReflection.stringField(mojo.getClass(), FORK_COUNT);
        if (field == null || MojoReflection.anyTrue(mojo, SKIPS)) {
            return 0;
        }
        String value = (String) MojoReflection.read(mojo, field);
        return value == null ? 0 : parse(value, Runtime.getRuntime().availableProcessors());
    }

    @Override
    boolean lower(Object mojo, int processes) {
        Field field = MojoReflection.stringField(mojo.getClass(), FORK_COUNT);
        return field != null && MojoReflection.write(mojo, field, String.valueOf(processes));
    }

    /**
     * A {@code forkCount} as surefire reads it: a whole number, or {@code NC}: N (a decimal) times the
     * processors, rounded down. 0 for what surefire refuses (it then fails the execution itself).
     */
    static int parse(String value, int processors) {
        String v = value.trim();
        try {
            if (v.endsWith("C")) {
                return (int) (Float.parseFloat(v.substring(0, v.length() - 1)) * processors);
            }
            return Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
