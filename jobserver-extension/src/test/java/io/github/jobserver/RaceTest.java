package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads on two clients of one pipe acquire, release, time out, get cancelled and get interrupted
 * for seconds; no token is lost, invented or held by two jobs at once.
 */
@Timeout(120)
class RaceTest {

    private static final String TOKENS = "abc+";
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);

    @Test
    void noTokenLostOrInventedUnderAcquireReleaseTimeoutCancelAndInterrupt() throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            pipe.put(TOKENS);
            Jobserver[] clients = {JobserverTest.connect(pipe.auth()), JobserverTest.connect(pipe.auth())};
            AtomicInteger running = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            AtomicLong jobs = new AtomicLong();
            AtomicLong stopped = new AtomicLong();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            long end = System.nanoTime() + RUN_NANOS;
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Jobserver js = clients[i % 2];
                workers.add(new Thread(() -> work(js, end, running, peak, jobs, stopped, failures), "worker-" + i));
            }
            workers.forEach(Thread::start);
            // chaos: cancel waits and interrupt random workers while they run
            while (System.nanoTime() < end) {
                clients[ThreadLocalRandom.current().nextInt(2)].cancelWaiting();
                workers.get(ThreadLocalRandom.current().nextInt(workers.size())).interrupt();
                Thread.yield();
            }
            for (Thread t : workers) {
                while (t.isAlive()) {
                    clients[0].cancelWaiting(); // a worker may be in a last blocking wait
                    clients[1].cancelWaiting();
                    t.join(10);
                }
            }
            System.out.printf("race: %d jobs, %d waits stopped, peak %d%n", jobs.get(), stopped.get(), peak.get());
            assertTrue(failures.isEmpty(), failures.toString());
            assertTrue(jobs.get() > 1000, "jobs done: " + jobs);
            assertTrue(stopped.get() > 10, "waits stopped: " + stopped);
            // two processes' worth of implicit slots + the tokens in the pipe
            assertTrue(peak.get() <= TOKENS.length() + 2, "peak " + peak);
            assertEquals(0, clients[0].tokensHeld() + clients[1].tokensHeld());
            clients[0].close();
            clients[1].close();
            char[] expected = TOKENS.toCharArray();
            java.util.Arrays.sort(expected);
            assertEquals(new String(expected), pipe.drainSorted(), "the same bytes, each once");
        }
    }

    private static void work(
            Jobserver js,
            long end,
            AtomicInteger running,
            AtomicInteger peak,
            AtomicLong jobs,
            AtomicLong stopped,
            List<Throwable> failures) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            try {
                Optional<Slot> slot = LoadClient.acquire(js, random.nextInt(3), random.nextInt(3));
                if (!slot.isPresent()) {
                    stopped.incrementAndGet();
                    continue;
                }
                try (Slot s = slot.get()) {
                    int now = running.incrementAndGet();
                    peak.accumulateAndGet(now, Math::max);
                    jobs.incrementAndGet();
                    if (random.nextBoolean()) {
                        Thread.yield();
                    }
                    running.decrementAndGet();
                }
            } catch (InterruptedException | CancellationException e) {
                stopped.incrementAndGet();
            } catch (Throwable e) {
                failures.add(e);
                return;
            }
        }
        Thread.interrupted();
    }
}
