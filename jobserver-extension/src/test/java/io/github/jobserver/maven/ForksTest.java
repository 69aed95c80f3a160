package io.github.jobserver.maven;

import static io.github.jobserver.maven.Mojos.execution;
import static io.github.jobserver.maven.Waits.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.JobserverServer;
import java.nio.file.Path;
import java.util.Collections;
import org.apache.maven.plugin.MojoExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a forking execution holds over a real FIFO jobserver (make -j4), and the one line that says so. */
@Timeout(60)
class ForksTest {
    private static final MojoExecution TEST = execution("maven-surefire-plugin", "test");

    @TempDir
    Path dir;

    /** The INFO line (its words are what src/it/forks and docs/EXTENSION.md show), by what was asked and got. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "4 | 4 | 4 | jobserver: surefire:test of f1 forks up to 4 JVMs, holding 4 slots",
                "8 | 4 | 4 | jobserver: surefire:test of f1 forks up to 4 JVMs (forkCount 8 is above the limit of 4), holding 4 slots",
                "2 | 2 | 1 | jobserver: surefire:test of f1 forks up to 1 JVM (forkCount 2; no other slot was free), holding 1 slot",
                "4 | 4 | 2 | jobserver: surefire:test of f1 forks up to 2 JVMs (forkCount 4; 1 other slot free), holding 2 slots",
                "4 | 4 | 3 | jobserver: surefire:test of f1 forks up to 3 JVMs (forkCount 4; 2 other slots free), holding 3 slots",
                "8 | 4 | 3 | jobserver: surefire:test of f1 forks up to 3 JVMs (forkCount 8 is above the limit of 4; 2 other slots free), holding 3 slots",
                "8 | 4 | 1 | jobserver: surefire:test of f1 forks up to 1 JVM (forkCount 8 is above the limit of 4; no other slot was free), holding 1 slot",
                "2 | 1 | 1 | jobserver: surefire:test of f1 forks up to 1 JVM (forkCount 2 is above the limit of 1), holding 1 slot",
            })
    void theLineSaysWhatTheExecutionHoldsAndWhy(int requested, int allowed, int held, String line) {
        Forks forks = new Forks("surefire:test of f1", new SurefireForks(), requested, allowed, held, true);
        assertTrue(forks.lowered());
        assertEquals(line, forks.line());
    }

    /** The same line for invoker's nested builds, in its words. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "2 | 2 | 2 | jobserver: invoker:run of m forks up to 2 builds, holding 2 slots",
                "4 | 4 | 1 | jobserver: invoker:run of m forks up to 1 build (parallelThreads 4; no other slot was free), holding 1 slot",
                "8 | 4 | 3 | jobserver: invoker:run of m forks up to 3 builds (parallelThreads 8 is above the limit of 4; 2 other slots free), holding 3 slots",
            })
    void theInvokerLineNamesItsBuilds(int requested, int allowed, int held, String line) {
        assertEquals(line, new Forks("invoker:run of m", new InvokerForks(), requested, allowed, held, true).line());
    }

    @Test
    void theWarningSaysTheSettingRunsAsConfiguredOnOneSlot() {
        Forks forks = new Forks("surefire:test of f1", new SurefireForks(), 4, 4, 4, false);
        assertFalse(forks.lowered());
        assertEquals(
                "jobserver: cannot set the forkCount of surefire:test of f1; it forks up to 4 JVMs on one slot",
                forks.line());
        assertEquals(
                "jobserver: cannot set the parallelThreads of invoker:run of m; it forks up to 2 builds on one slot",
                new Forks("invoker:run of m", new InvokerForks(), 2, 2, 2, false).line());
    }

    @Test
    void anExecutionAboveTheLimitHoldsTheLimitAndRunsAtIt() throws Exception {
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            SlotPolicy policy = new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), 4);
            policy.beforeModule("f1");
            Mojos.Surefire mojo = new Mojos.Surefire("8");
            Forks forks = Forks.hold(policy, "f1", TEST, mojo, "f1");
            assertEquals(
                    "jobserver: surefire:test of f1 forks up to 4 JVMs (forkCount 8 is above the limit of 4), holding 4 slots",
                    forks.line());
            assertEquals("4", mojo.forkCount());
            assertEquals(0, server.available(), "the module's slot and 3 extra slots");
            policy.afterMojo("f1");
            assertEquals(3, server.available(), "the extra slots back when the mojo ends");
            policy.afterModule("f1", false);
            policy.stop();
        }
    }

    @Test
    void anInvokerExecutionHoldsASlotPerNestedBuild() throws Exception {
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            SlotPolicy policy = new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), 4);
            policy.beforeModule("m");
            Mojos.Invoker mojo = new Mojos.Invoker("2");
            Forks forks = Forks.hold(policy, "m", execution("maven-invoker-plugin", "run"), mojo, "m");
            assertEquals("jobserver: invoker:run of m forks up to 2 builds, holding 2 slots", forks.line());
            assertEquals("2", mojo.parallelThreads());
            assertEquals(2, server.available(), "the module's slot and 1 extra slot");
            policy.afterMojo("m");
            assertEquals(3, server.available(), "the extra slot back when the mojo ends");
            policy.afterModule("m", false);
            policy.stop();
        }
    }

    @Test
    void anExecutionTakesOnlyTheSlotsFreeNow() throws Exception {
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            SlotPolicy policy = new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), 4);
            policy.beforeModule("f1");
            policy.beforeModule("f2");
            Mojos.Surefire mojo = new Mojos.Surefire("4");
            Forks forks = Forks.hold(policy, "f1", TEST, mojo, "f1");
            assertEquals(
                    "jobserver: surefire:test of f1 forks up to 3 JVMs (forkCount 4; 2 other slots free), holding 3 slots",
                    forks.line());
            assertEquals("3", mojo.forkCount());
            assertEquals(0, server.available());
            policy.afterModule("f1", false);
            policy.afterModule("f2", false);
            assertEquals(3, server.available());
            policy.stop();
        }
    }

    @Test
    void aMojoThatCannotBeLoweredGivesItsExtraSlotsBackAtOnce() throws Exception {
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            SlotPolicy policy = new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), 4);
            policy.beforeModule("f1");
            Forks forks = Forks.hold(policy, "f1", TEST, new Mojos.FixedForkCount(), "f1");
            assertFalse(forks.lowered());
            assertEquals(3, server.available(), "it runs on the module's slot alone");
            policy.afterModule("f1", false);
            policy.stop();
            assertEquals(3, server.available());
        }
    }

    @Test
    void nothingToHoldLeavesTheMojoAlone() throws Exception {
        Mojos.Surefire mojo = new Mojos.Surefire("4");
        assertNull(Forks.hold(SlotPolicy.NONE, "f1", TEST, mojo, "f1"), "no jobserver");
        assertEquals("4", mojo.forkCount());
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            SlotPolicy policy = new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), 4);
            policy.beforeModule("f1");
            assertNull(Forks.hold(policy, "f1", execution("maven-compiler-plugin", "compile"), mojo, "f1"));
            assertNull(Forks.hold(policy, "f1", TEST, null, "f1"), "no mojo");
            Mojos.Surefire one = new Mojos.Surefire("1");
            assertNull(Forks.hold(policy, "f1", TEST, one, "f1"), "one JVM runs on the module's slot");
            assertEquals("1", one.forkCount());
            assertEquals("4", mojo.forkCount());
            assertEquals(3, server.available(), "no extra slot taken");
            policy.afterModule("f1", false);
            policy.stop();
        }
    }
}
