package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JobserverTest {

    static Jobserver connect(JobserverAuth auth) {
        Lookup lookup = Jobserver.connect(auth);
        return lookup.jobserver().orElseThrow(() -> new AssertionError(lookup.toString()));
    }

    @Test
    void implicitSlotComesFirstThenTokensWithTheirOwnBytes() throws Exception {
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = connect(pipe.auth())) {
            pipe.put("ab");
            Slot implicit = js.acquire();
            assertTrue(implicit.isImplicit());
            assertEquals(2, pipe.count(), "the implicit slot reads nothing");
            Token a = (Token) js.acquire();
            Token b = (Token) js.acquire();
            assertEquals("ab", "" + (char) a.value() + (char) b.value());
            assertEquals(0, pipe.count());
            assertEquals(2, js.tokensHeld());
            a.close();
            a.close(); // a second close writes nothing
            b.close();
            implicit.close();
            assertEquals(0, js.tokensHeld());
            assertTrue(js.implicitSlotFree());
            assertEquals("ab", pipe.drainSorted(), "exactly the bytes read come back, once");
        }
    }

    @Test
    void closingTheImplicitSlotWritesNothing() throws Exception {
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = connect(pipe.auth())) {
            Slot implicit = js.tryAcquire().get();
            implicit.close();
            assertEquals(0, pipe.count());
            assertTrue(js.tryAcquire().get().isImplicit(), "the implicit slot is free again");
        }
    }

    @Test
    void tryAcquireTakesOnlyWhatIsThere() throws Exception {
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = connect(pipe.auth())) {
            pipe.put("+");
            List<Slot> slots = new ArrayList<>();
            for (Optional<Slot> s; (s = js.tryAcquire()).isPresent(); ) {
                slots.add(s.get());
            }
            assertEquals(2, slots.size(), "implicit slot + one token");
            assertEquals(0, pipe.count());
            slots.forEach(Slot::close);
            assertEquals(1, pipe.count());
        }
    }

    @Test
    void tryAcquireAllTakesWhatIsFreeUpToItsMaximum() throws Exception {
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = connect(pipe.auth())) {
            pipe.put("abc");
            List<Slot> slots = new ArrayList<>();
            assertEquals(3, js.tryAcquireAll(slots, 3), "the implicit slot and two tokens");
            assertEquals(1, pipe.count(), "the third token stays in the pool");
            assertEquals(1, js.tryAcquireAll(slots, Integer.MAX_VALUE), "then the one left, and no wait");
            assertEquals(4, slots.size());
            assertEquals(0, js.tryAcquireAll(slots, 5));
            slots.forEach(Slot::close);
            assertEquals("abc", pipe.drainSorted());
        }
    }

    @Test
    void timeoutReturnsEmptyAndTakesNothing() throws Exception {
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = connect(pipe.auth())) {
            Slot implicit = js.acquire();
            long t0 = System.nanoTime();
            assertFalse(js.acquire(200, TimeUnit.MILLISECONDS).isPresent());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200));
            pipe.put("x");
            Slot token = js.acquire(5, TimeUnit.SECONDS).get();
            assertFalse(token.isImplicit());
            token.close();
            implicit.close();
            assertEquals("x", pipe.drainSorted());
        }
    }

    @Test
    void cancelWaitingStopsABlockedAcquireAndStealsNothing() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = connect(pipe.auth())) {
            Slot implicit = js.acquire();
            Future<Slot> waiting = pool.submit((java.util.concurrent.Callable<Slot>) js::acquire);
            while (js.cancelWaiting() == 0) {
                Thread.yield(); // until the waiter is registered
            }
            java.util.concurrent.ExecutionException e =
                    assertThrows(java.util.concurrent.ExecutionException.class, waiting::get);
            assertTrue(e.getCause() instanceof CancellationException, e.toString());
            pipe.put("+");
            assertEquals(1, pipe.count(), "the cancelled reader does not take a later token");
            implicit.close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancelWaitingOfOneThreadLeavesTheOthersWaiting() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = connect(pipe.auth())) {
            Slot implicit = js.acquire();
            java.util.concurrent.atomic.AtomicReference<Thread> first =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Future<Slot> cancelled = pool.submit(() -> {
                first.set(Thread.currentThread());
                return js.acquire();
            });
            Future<Slot> other = pool.submit((java.util.concurrent.Callable<Slot>) js::acquire);
            while (first.get() == null || js.cancelWaiting(first.get()) == 0) {
                Thread.yield(); // until the first thread is registered as waiting
            }
            java.util.concurrent.ExecutionException e =
                    assertThrows(java.util.concurrent.ExecutionException.class, cancelled::get);
            assertTrue(e.getCause() instanceof CancellationException, e.toString());
            pipe.put("+");
            Slot token = other.get(); // the other thread still waited, and takes the token
            assertEquals('+', ((Token) token).value());
            token.close();
            implicit.close();
            assertEquals("+", pipe.drainSorted());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void interruptStopsABlockedAcquireAndKeepsNoToken() throws Exception {
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = connect(pipe.auth())) {
            Slot implicit = js.acquire();
            CountDownLatch started = new CountDownLatch(1);
            Throwable[] thrown = new Throwable[1];
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    js.acquire();
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            t.start();
            started.await();
            t.interrupt();
            t.join();
            assertTrue(thrown[0] instanceof InterruptedException, String.valueOf(thrown[0]));
            pipe.put("+");
            assertEquals(1, pipe.count());
            assertEquals(0, js.tokensHeld());
            implicit.close();
        }
    }

    @Test
    void releaseFromAnInterruptedThreadStillWritesTheToken() throws Exception {
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = connect(pipe.auth())) {
            pipe.put("q");
            Slot implicit = js.acquire();
            Slot token = js.acquire();
            Thread.currentThread().interrupt();
            try {
                token.close();
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            } finally {
                Thread.interrupted();
            }
            implicit.close();
            assertEquals("q", pipe.drainSorted());
        }
    }

    @Test
    void eofIsAnErrorNotALoop() throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            Jobserver js = connect(pipe.auth());
            pipe.pipe.sink().close(); // the last writer goes away, as when the server dies
            Slot implicit = js.acquire();
            assertThrows(EOFException.class, js::acquire);
            implicit.close();
            js.close();
        }
    }

    @Test
    void closeCancelsWaitersButLetsHeldTokensGoBack() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RealPipe pipe = RealPipe.open()) {
            pipe.put("k");
            Jobserver js = connect(pipe.auth());
            Slot implicit = js.acquire();
            Slot token = js.acquire();
            Future<Slot> waiting = pool.submit((java.util.concurrent.Callable<Slot>) js::acquire);
            while (js.cancelWaiting() == 0 && !waiting.isDone()) {
                Thread.yield();
            }
            js.close();
            assertThrows(java.util.concurrent.ExecutionException.class, waiting::get);
            assertThrows(java.io.IOException.class, js::acquire, "closed clients hand out nothing");
            token.close();
            implicit.close();
            assertEquals("k", pipe.drainSorted());
        } finally {
            pool.shutdownNow();
        }
    }
}
