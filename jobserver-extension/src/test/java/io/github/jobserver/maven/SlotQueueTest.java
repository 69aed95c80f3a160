package io.github.jobserver.maven;

import static io.github.jobserver.maven.Waits.connect;
import static io.github.jobserver.maven.Waits.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.RealPipe;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slot queue against the library's real FIFO jobserver, as the per-module policy uses it: who gets the next
 * slot, and nothing lost.
 */
@Timeout(60)
class SlotQueueTest {
    @TempDir
    Path dir;

    private static void untilWaiting(DynamicPolicy state, int n) {
        until(state::waiting, n, "modules waiting");
    }

    @Test
    void theLongestChainGetsTheNextSlotAndEveryTokenGoesBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (JobserverServer server = JobserverServer.create(2, dir);
                Jobserver other = connect(server)) {
            Slot otherImplicit = other.acquire();
            Slot heldElsewhere = other.acquire(); // the pool's only token: the queue must wait for it
            Map<String, Integer> heights = new HashMap<>();
            heights.put("low", 1);
            heights.put("high", 5);
            DynamicPolicy state = new DynamicPolicy.PerModule(connect(server), heights, Integer.MAX_VALUE);
            state.beforeModule("first");
            assertTrue(state.slotOf("first").get().isImplicit());

            Future<?> low = pool.submit(() -> {
                state.beforeModule("low");
                return null;
            });
            untilWaiting(state, 1);
            Future<?> high = pool.submit(() -> {
                state.beforeModule("high");
                return null;
            });
            untilWaiting(state, 2);

            // the reader is blocked on the empty FIFO; the implicit slot goes to the higher module at once
            state.afterModule("first", false);
            high.get();
            assertTrue(state.slotOf("high").get().isImplicit());
            assertFalse(low.isDone(), "the lower module still waits");
            assertEquals(1, state.waiting());

            heldElsewhere.close(); // the token comes back to the pool: the reader takes it for the queue
            low.get();
            assertFalse(state.slotOf("low").get().isImplicit());
            assertEquals(0, server.available());

            state.afterModule("high", false);
            state.afterModule("low", false);
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
        try (JobserverServer server = JobserverServer.create(3, dir);
                Jobserver other = connect(server)) {
            Slot otherImplicit = other.acquire();
            Slot a = other.acquire();
            Slot b = other.acquire();
            DynamicPolicy state =
                    new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), Integer.MAX_VALUE);
            state.beforeModule("running");
            Future<?>[] waiting = new Future<?>[3];
            for (int i = 0; i < waiting.length; i++) {
                String id = "m" + i;
                waiting[i] = pool.submit(() -> {
                    state.beforeModule(id);
                    return null;
                });
            }
            untilWaiting(state, 3);
            a.close(); // one token for the queue: the first to arrive of equal modules gets it
            while (state.waiting() > 2
                    || !(state.slotOf("m0").isPresent()
                            || state.slotOf("m1").isPresent()
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
        try (RealPipe pipe = RealPipe.open()) {
            pipe.put("+");
            Jobserver js = Jobserver.connect(pipe.auth()).jobserver().get();
            DynamicPolicy state = new DynamicPolicy.PerModule(js, Collections.emptyMap(), Integer.MAX_VALUE);
            state.beforeModule("first");
            // the pipe's read descriptor is closed under the client (as a plugin closing fds might): the
            // reader cannot open a read end any more
            pipe.closeEnd(true);
            Future<?> second = pool.submit(() -> {
                state.beforeModule("second");
                return null;
            });
            untilWaiting(state, 1);
            Future<?> third = pool.submit(() -> {
                state.beforeModule("third");
                return null;
            });
            untilWaiting(state, 2);
            state.afterModule("first", false); // the implicit slot passes on; nobody fails
            second.get();
            assertTrue(state.slotOf("second").get().isImplicit());
            assertFalse(third.isDone(), "one at a time");
            state.afterModule("second", false);
            third.get();
            state.afterModule("third", false);
            state.beforeModule("fourth"); // the implicit slot is free: taken without reading
            assertTrue(state.slotOf("fourth").get().isImplicit());
            state.afterModule("fourth", false);
            state.stop();
            assertEquals(0, js.tokensHeld());
            assertEquals(1, pipe.count(), "no token was read, none invented");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFifoRemovedWhileModulesRunLosesNothing() throws Exception {
        // a /tmp cleaner removes the FIFO's path: the client reads and writes through its own descriptor
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (JobserverServer server = JobserverServer.create(2, dir)) {
            Jobserver js = connect(server);
            DynamicPolicy state = new DynamicPolicy.PerModule(js, Collections.emptyMap(), Integer.MAX_VALUE);
            state.beforeModule("first");
            Files.delete(server.fifo());
            pool.submit(() -> {
                        state.beforeModule("second");
                        return null;
                    })
                    .get();
            assertFalse(state.slotOf("second").get().isImplicit(), "the token read after the path went");
            state.afterModule("second", false);
            state.afterModule("first", false);
            state.stop();
            assertEquals(1, server.available(), "the token is back");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTokenThatCannotGoBackIsReportedNotThrown() throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            pipe.put("+");
            Jobserver js = Jobserver.connect(pipe.auth()).jobserver().get();
            DynamicPolicy state = new DynamicPolicy.PerModule(js, Collections.emptyMap(), Integer.MAX_VALUE);
            state.beforeModule("first");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                pool.submit(() -> {
                            state.beforeModule("second");
                            return null;
                        })
                        .get();
            } finally {
                pool.shutdownNow();
            }
            assertFalse(state.slotOf("second").get().isImplicit());
            pipe.closeEnd(false); // the write descriptor is closed under the client: no write end can be opened
            state.afterModule("second", false); // must not throw into Maven
            assertFalse(state.slotOf("second").isPresent());
            assertEquals(0, js.tokensHeld(), "the token counts as given back, so nobody writes it twice");
            state.afterModule("first", false);
            state.stop();
            assertEquals(0, pipe.count(), "the token is lost: it is what the warning says");
        }
    }

    @Test
    void forksTakeOnlyTheFreeTokensAndAWaitingModuleGetsThemWhenTheExecutionEnds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            DynamicPolicy state =
                    new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), Integer.MAX_VALUE);
            state.beforeModule("m01"); // the implicit slot
            assertEquals(3, state.acquireExtra("m01", 5), "all 3 free tokens, no more");
            assertEquals(0, server.available());
            assertEquals(0, state.acquireExtra("m01", 1), "nothing free: no wait");

            Future<?> next = pool.submit(() -> {
                state.beforeModule("m02");
                return null;
            });
            untilWaiting(state, 1);
            state.giveBackExtra("m01");
            next.get(); // one of the forks' tokens, through the queue
            assertEquals(2, server.available());

            state.afterModule("m02", false);
            state.afterModule("m01", false);
            state.stop();
            assertEquals(3, server.available(), "every token back");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stopGivesBackWhatForksHold() throws Exception {
        try (JobserverServer server = JobserverServer.create(3, dir)) {
            DynamicPolicy state =
                    new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), Integer.MAX_VALUE);
            state.beforeModule("m01");
            assertEquals(2, state.acquireExtra("m01", 2));
            state.stop(); // the session ends (or the shutdown hook runs) mid-execution
            assertEquals(2, server.available());
            assertEquals(0, state.acquireExtra("m01", 2), "nothing is taken after stop");
            assertEquals(2, server.available());
        }
    }
}
