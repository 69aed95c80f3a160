package io.github.jobserver.maven;

import static io.github.jobserver.maven.Waits.connect;
import static io.github.jobserver.maven.Waits.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.Slot;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The policies over a real FIFO jobserver: what each step of the build holds, and nothing lost. */
@Timeout(60)
class SlotPolicyTest {
    @TempDir
    Path dir;

    @Test
    void perModuleAModuleHoldsItsSlotAndItsForksUntilItEnds() throws Exception {
        try (JobserverServer server = JobserverServer.create(3, dir)) {
            SlotPolicy policy = new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), 3);
            policy.beforeModule("a"); // the implicit slot
            policy.beforeModule("b"); // a token
            assertEquals(1, server.available());
            assertEquals(3, policy.forkLimit(), "make's -jN");
            assertEquals(1, policy.acquireExtra("a", 2), "only the free token, no wait");
            assertEquals(0, server.available());
            policy.beforeMojo("a"); // the next mojo of a: what a's forks held goes back first
            assertEquals(1, server.available());
            assertEquals(1, policy.acquireExtra("a", 2));
            policy.afterModule("a", true); // a failed: its slot and its forks' go back
            assertFalse(policy.slotOf("a").isPresent());
            assertEquals(1, server.available());
            policy.afterModule("b", false);
            assertEquals(2, server.available());
            policy.stop();
            assertEquals(2, server.available(), "every token back, none twice");
            assertEquals(0, policy.forkLimit(), "no forks after the session");
        }
    }

    @Test
    void perMojoAThreadHoldsOneSlotForTheMojoItRuns() throws Exception {
        try (JobserverServer server = JobserverServer.create(2, dir)) {
            SlotPolicy policy = new DynamicPolicy.PerMojo(connect(server), 2);
            policy.beforeModule("m"); // modules are not held back under the concurrent builder
            assertFalse(policy.slotOf(DynamicPolicy.PerMojo.threadKey()).isPresent());
            policy.beforeMojo("m");
            Slot first = policy.slotOf("m").get(); // the thread's mojo's slot, found by any module key
            policy.beforeMojo("m"); // a mojo that failed without afterExecutionFailure: its slot went back first
            assertEquals(first.isImplicit(), policy.slotOf("m").get().isImplicit());
            assertEquals(1, server.available(), "one slot for the thread, not two");
            policy.afterMojo("m");
            assertFalse(policy.slotOf("m").isPresent());
            policy.beforeMojo("m");
            policy.afterModule("m", true); // the module failed: the thread's slot goes back
            assertFalse(policy.slotOf("m").isPresent());
            policy.stop();
            assertEquals(1, server.available());
        }
    }

    @Test
    void noneHoldsNothing() throws Exception {
        SlotPolicy.NONE.beforeModule("m");
        SlotPolicy.NONE.beforeMojo("m");
        assertEquals(0, SlotPolicy.NONE.acquireExtra("m", 3));
        assertEquals(0, SlotPolicy.NONE.forkLimit());
        assertFalse(SlotPolicy.NONE.slotOf("m").isPresent());
        SlotPolicy.NONE.stop();
    }

    @Test
    void inClaimModeForksUseTheIdleClaimedSlotsAndAModuleWaitsForThem() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (JobserverServer server = JobserverServer.create(2, dir)) {
            Jobserver js = connect(server);
            java.util.List<Slot> claimed = java.util.Arrays.asList(
                    js.tryAcquire().get(), js.tryAcquire().get());
            Claim state = new Claim(js, claimed, 2);
            state.beforeModule("m01"); // 2 threads on 2 claimed slots
            assertEquals(1, state.acquireExtra("m01", 3), "the one claimed slot no module uses");

            Future<?> next = pool.submit(() -> {
                state.beforeModule("m02");
                return null;
            });
            until(state::waiting, 1, "module waiting for a claimed slot");
            assertFalse(next.isDone(), "m02 ran on a slot m01's forks hold");
            state.afterMojo("m01");
            next.get();
            state.afterModule("m02", false);
            state.afterModule("m01", false);
            assertEquals(0, server.available(), "claimed tokens are held until the session ends");
            state.stop();
            assertEquals(1, server.available(), "the claimed token back (the implicit slot is never written)");
        } finally {
            pool.shutdownNow();
        }
    }
}
