package io.github.jobserver.maven;

import java.lang.reflect.Field;
import org.apache.maven.plugin.MojoExecution;

/**
 * The nested Maven builds a maven-invoker-plugin {@code run} or {@code integration-test} execution runs at once
 * ({@code parallelThreads}, each build a Maven process of its own). Invoker reads the setting only inside
 * {@code execute()}, when its builds start, so the value set here is the one it runs with. Since 3.2.2 the
 * setting is a String, a whole number or {@code NC}; 1.6 to 3.2.1 have an {@code int}, read and lowered the
 * same way; older ones have none and are left alone. Its setup builds run one at a time before the others,
 * while the execution holds its slots.
 *
 * <p>A nested build that has the extension itself and can open the jobserver counts its implicit slot as the
 * one held here for it, as a child of make counts the slot make holds for it: one build, one slot.
 */
final class InvokerForks extends ForkingGoal {
    private static final String PARALLEL_THREADS = "parallelThreads";
    /** {@code invoker.skip}: when true the execution returns before it builds anything. */
    private static final String SKIP = "skipInvocation";

    InvokerForks() {
        super(PARALLEL_THREADS, "build");
    }

    /** Its goals that run builds; {@code install}, {@code verify} and {@code report} run none. */
    @Override
    boolean matches(MojoExecution execution) {
        String goal = execution.getGoal();
        return isPlugin(execution, "maven-invoker-plugin") && ("run".equals(goal) || "integration-test".equals(goal));
    }

    @Override
    int requested(Object mojo) {
        Field field = MojoReflection.field(mojo.getClass(), PARALLEL_THREADS);
        if (field == null || MojoReflection.flag(mojo, SKIP)) {
            return 0;
        }
        Object value = MojoReflection.read(mojo, field);
        if (value instanceof String) {
            return parse((String) value, Runtime.getRuntime().availableProcessors());
        }
        return value instanceof Integer ? Math.max(0, (Integer) value) : 0;
    }

    @Override
    boolean lower(Object mojo, int processes) {
        Field field = MojoReflection.field(mojo.getClass(), PARALLEL_THREADS);
        if (field == null) {
            return false;
        }
        if (field.getType() == String.class) {
            return MojoReflection.write(mojo, field, String.valueOf(processes));
        }
        return field.getType() == int.class && MojoReflection.write(mojo, field, Integer.valueOf(processes));
    }

    /**
     * A {@code parallelThreads} as invoker 3.6.0 and later read it ({@code getParallelThreadsCount()}): ending
     * in {@code C}, a float times the processors, rounded towards zero; otherwise a whole number, untrimmed.
     * 3.2.2 to 3.5.0 multiply a double, which can round one lower (0.29C of 100 processors: 28, not 29). 0 for
     * what invoker refuses (it then fails the execution itself) and for anything below 1.
     */
    static int parse(String value, int processors) {
        try {
            if (value.endsWith("C")) {
                return Math.max(0, (int) (Float.parseFloat(value.substring(0, value.length() - 1)) * processors));
            }
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
