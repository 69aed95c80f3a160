package io.github.jobserver.maven;

import static io.github.jobserver.maven.Waits.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.Slot;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of stopping. A holder here stands in for the queue, whose reader cannot be held in the middle of
 * a read on purpose: its reader is a thread that ends when the test says.
 */
@Timeout(60)
class ShutdownTest {
    @TempDir
    Path dir;

    /** Holds one slot; its reader runs until {@code leave} is counted down. */
    private static final class Holder implements Shutdown.Holder {
        final AtomicInteger refused = new AtomicInteger();
        final CountDownLatch leave = new CountDownLatch(1);
        final Thread reader = new Thread(this::read, "test-reader");
        private final Slot slot;

        Holder(Slot slot) {
            this.slot = slot;
            reader.start();
        }

        private void read() {
            try {
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Thread refuse(List<Slot> into) {
            refused.incrementAndGet();
            into.add(slot);
            return reader;
        }
    }

    @Test
    void theReaderIsAwaitedBeforeAnythingIsGivenBack() throws Exception {
        try (JobserverServer server = JobserverServer.create(2, dir)) {
            Jobserver js = connect(server);
            js.acquire(); // the implicit slot: the next is a token
            Holder holder = new Holder(js.acquire());
            Shutdown shutdown = new Shutdown(js, new Failures());
            Thread stopping = new Thread(() -> shutdown.stop(holder), "test-stop");
            stopping.start();
            while (stopping.getState() != Thread.State.TIMED_WAITING && stopping.isAlive()) {
                Thread.yield(); // until stop() waits for the reader
            }
            assertTrue(shutdown.stopped());
            assertTrue(holder.reader.isAlive());
            assertEquals(0, server.available(), "nothing given back while the reader may still write its own");
            assertTrue(shutdown.jobserver().isPresent(), "the jobserver until everything is back");
            holder.leave.countDown();
            stopping.join();
            assertEquals(1, server.available(), "the token back once the reader left");
            assertFalse(shutdown.jobserver().isPresent());
        }
    }

    @Test
    void aSecondStopFromAnotherThreadFindsNothingToDo() throws Exception {
        try (JobserverServer server = JobserverServer.create(2, dir)) {
            Jobserver js = connect(server);
            js.acquire();
            Holder holder = new Holder(js.acquire());
            holder.leave.countDown();
            Shutdown shutdown = new Shutdown(js, new Failures());
            Thread hook = new Thread(() -> shutdown.stop(holder), "test-hook");
            hook.start();
            shutdown.stop(holder);
            hook.join();
            shutdown.stop(holder);
            assertEquals(1, holder.refused.get(), "refused once");
            assertEquals(1, server.available(), "the token back once");
        }
    }
}
