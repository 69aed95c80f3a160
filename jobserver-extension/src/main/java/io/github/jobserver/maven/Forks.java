package io.github.jobserver.maven;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.apache.maven.plugin.MojoExecution;

/**
 * The test JVMs a surefire or failsafe execution forks at once ({@code forkCount}, surefire 2.14 and later):
 * read from the configured mojo just before it runs, and lowered to what the jobserver gives it. Surefire
 * parses {@code forkCount} only when it first needs it (inside {@code execute()}), so the value set here is
 * the one it runs with. Older surefires (2.12.4, the default of Maven 3.6's super-POM) have no
 * {@code forkCount} and are left alone.
 */
final class Forks {
    private static final String GROUP = "org.apache.maven.plugins";
    private static final String FIELD = "forkCount";

    private Forks() {}

    /** {@code surefire:test}, {@code failsafe:integration-test}: for the log line. */
    static String name(MojoExecution execution) {
        String artifact = execution.getArtifactId();
        String prefix = artifact.replace("maven-", "").replace("-plugin", "");
        return prefix + ":" + execution.getGoal();
    }

    /**
     * How many JVMs this execution may fork at once, or 0 when it is not a forking test execution (another
     * plugin, an old surefire, tests skipped, {@code forkCount} 0 or 1, a value surefire itself refuses).
     */
    static int requested(Object mojo, MojoExecution execution) {
        if (!GROUP.equals(execution.getGroupId())
                || !("maven-surefire-plugin".equals(execution.getArtifactId())
                        || "maven-failsafe-plugin".equals(execution.getArtifactId()))) {
            return 0;
        }
        Field field = field(mojo.getClass());
        if (field == null || skipped(mojo)) {
            return 0;
        }
        try {
            Object value = field.get(mojo);
            int count = value instanceof String
                    ? parse((String) value, Runtime.getRuntime().availableProcessors())
                    : 0;
            return count > 1 ? count : 0;
        } catch (IllegalAccessException e) {
            return 0;
        }
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

    /** Sets the execution's {@code forkCount} to {@code forks}; false when the mojo does not allow it. */
    static boolean limit(Object mojo, int forks) {
        Field field = field(mojo.getClass());
        if (field == null) {
            return false;
        }
        try {
            field.set(mojo, String.valueOf(forks));
            return true;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    private static boolean skipped(Object mojo) {
        for (String getter : new String[] {"isSkip", "isSkipTests", "isSkipExec"}) {
            try {
                Method m = find(mojo.getClass(), getter);
                if (m != null && Boolean.TRUE.equals(m.invoke(mojo))) {
                    return true;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this getter: look at the next
            }
        }
        return false;
    }

    private static Method find(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name);
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException e) {
                // the superclass may declare it
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Field field(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(FIELD);
                if (f.getType() != String.class) {
                    return null;
                }
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // the superclass may declare it
            } catch (RuntimeException e) {
                return null; // a module system or security manager refuses: leave the mojo alone
            }
        }
        return null;
    }
}
