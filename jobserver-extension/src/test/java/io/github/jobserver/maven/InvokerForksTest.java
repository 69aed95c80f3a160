package io.github.jobserver.maven;

import static io.github.jobserver.maven.Mojos.execution;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.apache.maven.plugins.invoker.AbstractInvokerMojo;
import org.apache.maven.plugins.invoker.InvokerMojo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InvokerForksTest {
    private final InvokerForks invoker = new InvokerForks();

    /**
     * parallelThreads as invoker 3.6.0 and later read it: a whole number as written, or a float times the
     * processors, rounded towards zero (0.29C of 100 is 29 as a float; a double would give 28).
     */
    @ParameterizedTest
    @CsvSource({
        "2, 8, 2",
        "1C, 8, 8",
        "1.5C, 4, 6",
        "0.5C, 3, 1",
        "0.29C, 100, 29",
        "0.1C, 4, 0",
        "-1C, 8, 0",
        "' 3', 8, 0",
        "2.5, 8, 0",
        "0, 8, 0",
        "1, 8, 1",
        "-1, 8, 0",
        "many, 8, 0",
        "C, 8, 0",
    })
    void parsesParallelThreadsAsInvokerDoes(String value, int processors, int builds) {
        assertEquals(builds, InvokerForks.parse(value, processors));
    }

    /** Invoker's goals that run builds, by the plugin's coordinates and the goal; nothing else. */
    @ParameterizedTest
    @CsvSource({
        "org.apache.maven.plugins, maven-invoker-plugin, run, true",
        "org.apache.maven.plugins, maven-invoker-plugin, integration-test, true",
        "org.apache.maven.plugins, maven-invoker-plugin, install, false",
        "org.apache.maven.plugins, maven-invoker-plugin, verify, false",
        "org.apache.maven.plugins, maven-invoker-plugin, report, false",
        "org.apache.maven.plugins, maven-surefire-plugin, test, false",
        "org.example, maven-invoker-plugin, run, false",
    })
    void matchesInvokersBuildingGoals(String group, String artifact, String goal, boolean matches) {
        assertEquals(matches, invoker.matches(execution(group, artifact, goal)));
    }

    @Test
    void requestedIsTheParallelThreadsInTheMojosSuperclass() {
        assertEquals(4, invoker.requested(new Mojos.Invoker("4")));
        assertEquals(0, invoker.requested(new Mojos.Invoker(null)), "no value: left alone");
        assertEquals(0, invoker.requested(new Mojos.Invoker("many")), "invoker refuses it itself");
    }

    @Test
    void skippedInvocationBuildsNothing() {
        assertEquals(0, invoker.requested(new Mojos.Invoker("4", true)));
        assertEquals(0, invoker.requested(new Mojos.IntInvoker(4, true)));
    }

    @Test
    void lowerSetsTheParallelThreadsInvokerRunsWith() {
        Mojos.Invoker mojo = new Mojos.Invoker("1C");
        assertTrue(invoker.lower(mojo, 3));
        assertEquals("3", mojo.parallelThreads());
        assertEquals(3, invoker.requested(mojo));
    }

    @Test
    void anIntParallelThreadsIsReadAndLoweredToo() {
        Mojos.IntInvoker mojo = new Mojos.IntInvoker(4, false);
        assertEquals(4, invoker.requested(mojo));
        assertTrue(invoker.lower(mojo, 2));
        assertEquals(2, mojo.parallelThreads());
        assertEquals(0, invoker.requested(new Mojos.IntInvoker(-2, false)));
    }

    @Test
    void aMojoWithoutParallelThreadsIsLeftAlone() {
        assertEquals(0, invoker.requested(new Mojos.OldInvoker()));
        assertFalse(invoker.lower(new Mojos.OldInvoker(), 2));
    }

    /** The real invoker (the version this build's ITs run) keeps the fields under the names and types read here. */
    @Test
    void theRealInvokerHasTheFieldsReadHere() {
        Field threads = MojoReflection.field(InvokerMojo.class, "parallelThreads");
        Field skip = MojoReflection.field(InvokerMojo.class, "skipInvocation");
        assertEquals(AbstractInvokerMojo.class, threads.getDeclaringClass());
        assertEquals(String.class, threads.getType());
        assertEquals(boolean.class, skip.getType());
    }

    /**
     * What the real invoker will run (its own getParallelThreadsCount()) is what is requested here, for every
     * form; after lowering it runs the number set.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "4", "1C", "1.5C", "0.5C", "3.7C", " 2", "2.5", "-2", "0", "many"})
    void theRealInvokerRunsWhatIsRequestedAndThenWhatIsSet(String value) throws Exception {
        InvokerMojo mojo = new InvokerMojo(null, null, null, null);
        assertTrue(MojoReflection.write(mojo, MojoReflection.field(InvokerMojo.class, "parallelThreads"), value));
        assertEquals(Math.max(0, realCount(mojo)), invoker.requested(mojo), value);
        assertTrue(invoker.lower(mojo, 3));
        assertEquals(3, realCount(mojo));
        assertTrue(MojoReflection.write(mojo, MojoReflection.field(InvokerMojo.class, "skipInvocation"), true));
        assertEquals(0, invoker.requested(mojo), "invoker.skip");
    }

    /** The real mojo's count; 0 where it throws (it then fails the execution). */
    private static int realCount(InvokerMojo mojo) throws ReflectiveOperationException {
        Method count = AbstractInvokerMojo.class.getDeclaredMethod("getParallelThreadsCount");
        count.setAccessible(true);
        try {
            return (Integer) count.invoke(mojo);
        } catch (InvocationTargetException e) {
            assertTrue(
                    e.getCause() instanceof NumberFormatException, e.getCause().toString());
            return 0;
        }
    }
}
