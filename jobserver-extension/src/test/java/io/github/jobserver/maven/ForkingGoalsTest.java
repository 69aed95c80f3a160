package io.github.jobserver.maven;

import static io.github.jobserver.maven.Mojos.execution;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.maven.plugin.MojoExecution;
import org.junit.jupiter.api.Test;

class ForkingGoalsTest {

    @Test
    void surefireAndFailsafeAreSurefireForksNamedAsInTheLogLine() {
        MojoExecution test = execution("maven-surefire-plugin", "test");
        MojoExecution it = execution("maven-failsafe-plugin", "integration-test");
        assertTrue(ForkingGoals.of(test) instanceof SurefireForks);
        assertTrue(ForkingGoals.of(it) instanceof SurefireForks);
        assertEquals("surefire:test", ForkingGoals.of(test).name(test));
        assertEquals("failsafe:integration-test", ForkingGoals.of(it).name(it));
    }

    @Test
    void invokersBuildingGoalsAreInvokerForksNamedAsInTheLogLine() {
        MojoExecution run = execution("maven-invoker-plugin", "run");
        MojoExecution it = execution("maven-invoker-plugin", "integration-test");
        assertTrue(ForkingGoals.of(run) instanceof InvokerForks);
        assertTrue(ForkingGoals.of(it) instanceof InvokerForks);
        assertEquals("invoker:run", ForkingGoals.of(run).name(run));
        assertEquals("invoker:integration-test", ForkingGoals.of(it).name(it));
    }

    @Test
    void anyOtherGoalIsNoForkingGoal() {
        assertNull(ForkingGoals.of(execution("maven-compiler-plugin", "compile")));
        assertNull(ForkingGoals.of(execution("maven-invoker-plugin", "install")), "installs, builds nothing");
    }
}
