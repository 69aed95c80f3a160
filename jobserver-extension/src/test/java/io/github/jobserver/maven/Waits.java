package io.github.jobserver.maven;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverServer;
import java.util.function.IntSupplier;

/** What the slot tests share: a client of a test server, and waiting until threads reach their wait. */
final class Waits {
    private Waits() {}

    static Jobserver connect(JobserverServer server) {
        return Jobserver.connect(server.auth()).jobserver().get();
    }

    /** Until {@code count} reaches {@code n} (threads have reached their wait), failing after 30 s. */
    static void until(IntSupplier count, int n, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (count.getAsInt() < n) {
            assertTrue(System.nanoTime() < deadline, "never " + n + " " + what);
            Thread.yield(); // until the threads are in the queue
        }
    }
}
