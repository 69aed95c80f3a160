package io.github.jobserver.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.Slot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic mode's queue against the library's real FIFO jobserver: who gets the next slot, and nothing lost. */
@Timeout(60)
class JobserverStateTest {
    @TempDir
    Path dir;

    private static Jobserver connect(JobserverServer server) {
        return Jobserver.connect(server.auth()).jobserver().get();
    }

    private static void untilWaiting(JobserverState state, int n) {
        until(state::waiting, n, "modules waiting");
    }

    /** Until {@code count} reaches {@code n} (threads have reached their wait), failing after 30 s. */
    private static void until(IntSupplier count, int n, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (count.getAsInt() < n) {
            assertTrue(System.nanoTime() < deadline, "never " + n + " " + what);
            Thread.yield(); // until the threads are in the queue
        }
    }

    @Test
    void theLongestChainGetsTheNextSlotAndEveryTokenGoesBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (JobserverServer server = JobserverServer.create(2, dir); Jobserver other = connect(server)) {
            Slot otherImplicit = other.acquire();
            Slot heldElsewhere = other.acquire(); // the pool's only token: the queue must wait for it
            JobserverState state = new JobserverState();
            Map<String, Integer> heights = new HashMap<>();
            heights.put("low", 1);
            heights.put("high", 5);
            state.start(connect(server), true, false, Collections.emptyList(), heights, Integer.MAX_VALUE);
            state.acquireFor("first");
            assertTrue(state.slotOf("first").get().isImplicit());

            Future<?> low = pool.submit(() -> {
                state.acquireFor("low");
                return null;
            });
            untilWaiting(state, 1);
            Future<?> high = pool.submit(() -> {
                state.acquireFor("high");
                return null;
            });
            untilWaiting(state, 2);

            // the reader is blocked on the empty FIFO; the implicit slot goes to the higher module at once
            state.releaseFor("first");
            high.get();
            assertTrue(state.slotOf("high").get().isImplicit());
            assertFalse(low.isDone(), "the lower module still waits");
            assertEquals(1, state.waiting());

            heldElsewhere.close(); // the token comes back to the pool: the reader takes it for the queue
            low.get();
            assertFalse(state.slotOf("low").get().isImplicit());
            assertEquals(0, server.available());

            state.releaseFor("high");
            state.releaseFor("low");
            assertEquals(1, server.available(), "the token is back in the pool");
            state.stop();
            otherImplicit.close();
            assertEquals(1, server.available());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stopReleasesWaitersAndKeepsNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (JobserverServer server = JobserverServer.create(3, dir); Jobserver other = connect(server)) {
            Slot otherImplicit = other.acquire();
            Slot a = other.acquire();
            Slot b = other.acquire();
            JobserverState state = new JobserverState();
            state.start(connect(server), true, false, Collections.emptyList(), Collections.emptyMap(), Integer.MAX_VALUE);
            state.acquireFor("running");
            Future<?>[] waiting = new Future<?>[3];
            for (int i = 0; i < waiting.length; i++) {
                String id = "m" + i;
                waiting[i] = pool.submit(() -> {
                    state.acquireFor(id);
                    return null;
                });
            }
            untilWaiting(state, 3);
            a.close(); // one token for the queue: the first to arrive of equal modules gets it
            while (state.waiting() > 2 || !(state.slotOf("m0").isPresent() || state.slotOf("m1").isPresent()
                    || state.slotOf("m2").isPresent())) {
                Thread.yield(); // until the module given the token holds it
            }
            state.stop(); // the session ends: the module that got the token gives it back, the rest stop waiting
            int ran = 0;
            for (Future<?> f : waiting) {
                try {
                    f.get();
                    ran++; // the module that had its slot before the stop
                } catch (ExecutionException e) {
                    // the others must not run without a slot
                    assertTrue(e.getCause() instanceof CancellationException, e.toString());
                }
            }
            assertEquals(1, ran);
            for (int i = 0; i < waiting.length; i++) {
                assertFalse(state.slotOf("m" + i).isPresent());
            }
            b.close();
            otherImplicit.close();
            assertEquals(2, server.available(), "both tokens are back");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void afterAFailedReadTheModulesTakeTurnsOnTheImplicitSlot() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (JobserverServer server = JobserverServer.create(2, dir)) {
            JobserverState state = new JobserverState();
            Jobserver js = connect(server);
            state.start(js, true, false, Collections.emptyList(), Collections.emptyMap(), Integer.MAX_VALUE);
            state.acquireFor("first");
            // the FIFO's path goes away (a /tmp cleaner, a server gone): the reader cannot open a read end
            Files.delete(server.fifo());
            Future<?> second = pool.submit(() -> {
                state.acquireFor("second");
                return null;
            });
            untilWaiting(state, 1);
            Future<?> third = pool.submit(() -> {
                state.acquireFor("third");
                return null;
            });
            untilWaiting(state, 2);
            state.releaseFor("first"); // the implicit slot passes on; nobody fails
            second.get();
            assertTrue(state.slotOf("second").get().isImplicit());
            assertFalse(third.isDone(), "one at a time");
            state.releaseFor("second");
            third.get();
            state.releaseFor("third");
            state.acquireFor("fourth"); // the implicit slot is free: taken without reading
            assertTrue(state.slotOf("fourth").get().isImplicit());
            state.releaseFor("fourth");
            state.stop();
            assertEquals(0, js.tokensHeld());
            assertEquals(1, server.available(), "no token was read, none invented");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTokenThatCannotGoBackIsReportedNotThrown() throws Exception {
        try (JobserverServer server = JobserverServer.create(2, dir)) {
            JobserverState state = new JobserverState();
            Jobserver js = connect(server);
            state.start(js, true, false, Collections.emptyList(), Collections.emptyMap(), Integer.MAX_VALUE);
            state.acquireFor("first");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                pool.submit(() -> {
                    state.acquireFor("second");
                    return null;
                }).get();
            } finally {
                pool.shutdownNow();
            }
            assertFalse(state.slotOf("second").get().isImplicit());
            Files.delete(server.fifo()); // no write end can be opened any more
            state.releaseFor("second"); // must not throw into Maven
            assertFalse(state.slotOf("second").isPresent());
            assertEquals(0, js.tokensHeld(), "the token counts as given back, so nobody writes it twice");
            state.releaseFor("first");
            state.stop();
            assertEquals(0, server.available(), "the server lost the token: it is what the warning says");
        }
    }

    @Test
    void forksTakeOnlyTheFreeTokensAndAWaitingModuleGetsThemWhenTheExecutionEnds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            JobserverState state = new JobserverState();
            state.start(connect(server), true, false, Collections.emptyList(), Collections.emptyMap(), 4);
            state.acquireFor("m01"); // the implicit slot
            assertEquals(3, state.takeForkSlots("m01", 5), "all 3 free tokens, no more");
            assertEquals(0, server.available());
            assertEquals(0, state.takeForkSlots("m01", 1), "nothing free: no wait");

            Future<?> next = pool.submit(() -> {
                state.acquireFor("m02");
                return null;
            });
            untilWaiting(state, 1);
            state.releaseForkSlots("m01");
            next.get(); // one of the forks' tokens, through the queue
            assertEquals(2, server.available());

            state.releaseFor("m02");
            state.releaseFor("m01");
            state.stop();
            assertEquals(3, server.available(), "every token back");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stopGivesBackWhatForksHold() throws Exception {
        try (JobserverServer server = JobserverServer.create(3, dir)) {
            JobserverState state = new JobserverState();
            state.start(connect(server), true, false, Collections.emptyList(), Collections.emptyMap(), 3);
            state.acquireFor("m01");
            assertEquals(2, state.takeForkSlots("m01", 2));
            state.stop(); // the session ends (or the shutdown hook runs) mid-execution
            assertEquals(2, server.available());
            assertEquals(0, state.takeForkSlots("m01", 2), "nothing is taken after stop");
            assertEquals(2, server.available());
        }
    }

    @Test
    void inClaimModeForksUseTheIdleClaimedSlotsAndAModuleWaitsForThem() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (JobserverServer server = JobserverServer.create(2, dir)) {
            Jobserver js = connect(server);
            java.util.List<Slot> claimed = java.util.Arrays.asList(js.tryAcquire().get(), js.tryAcquire().get());
            JobserverState state = new JobserverState();
            state.start(js, false, false, claimed, Collections.emptyMap(), 2); // 2 threads on 2 claimed slots
            assertTrue(state.gatesModules());
            state.acquireFor("m01");
            assertEquals(1, state.takeForkSlots("m01", 3), "the one claimed slot no module uses");

            Future<?> next = pool.submit(() -> {
                state.acquireFor("m02");
                return null;
            });
            until(state::waitingForClaim, 1, "module waiting for a claimed slot");
            assertFalse(next.isDone(), "m02 ran on a slot m01's forks hold");
            state.releaseForkSlots("m01");
            next.get();
            state.releaseFor("m02");
            state.releaseFor("m01");
            assertEquals(0, server.available(), "claimed tokens are held until the session ends");
            state.stop();
            assertEquals(1, server.available(), "the claimed token back (the implicit slot is never written)");
        } finally {
            pool.shutdownNow();
        }
    }
}
