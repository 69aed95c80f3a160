package io.github.jobserver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One process of {@link LoadTest}: THREADS threads acquire, hold for a moment and release slots of the
 * jobserver in its environment for MILLIS, in every way the client offers (blocking, with a timeout,
 * try), while a canceller thread keeps stopping their waits ({@link Jobserver#cancelWaiting(Thread)})
 * and interrupting them. At the end it cancels every wait and gives each thread 10 s to finish: a thread
 * still alive then is blocked after cancel. Prints one line:
 * {@code load: ops N acquired A cancelled C interrupted I timeouts T empty E blocked B held H}.
 * Exit 0 only when nothing is blocked and nothing is held.
 */
public final class LoadClient {
    private LoadClient() {}

    /** The ways of {@link #acquire}, 0 to 2: block, wait up to a timeout, only try. */
    static final int BLOCK = 0;

    static final int TIMEOUT = 1;
    static final int TRY = 2;

    /** Takes a slot one of three ways; empty when the timeout or the try found none. */
    static Optional<Slot> acquire(Jobserver js, int way, int timeoutMillis) throws IOException, InterruptedException {
        switch (way) {
            case BLOCK:
                return Optional.of(js.acquire());
            case TIMEOUT:
                return js.acquire(timeoutMillis, TimeUnit.MILLISECONDS);
            default:
                return js.tryAcquire();
        }
    }

    public static void main(String[] args) throws Exception {
        long millis = Long.parseLong(args[0]);
        int threads = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        Lookup lookup = Jobserver.fromEnvironment();
        if (!lookup.jobserver().isPresent()) {
            System.out.println("load: no jobserver: " + lookup.absence());
            System.exit(2);
        }
        Jobserver js = lookup.jobserver().get();
        AtomicLong ops = new AtomicLong();
        AtomicLong acquired = new AtomicLong();
        AtomicLong cancelled = new AtomicLong();
        AtomicLong interrupted = new AtomicLong();
        AtomicLong timeouts = new AtomicLong();
        AtomicLong empty = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Random random = new Random(seed * 1000 + i);
            Thread t = new Thread(
                    () -> {
                        while (System.nanoTime() < deadline) {
                            ops.incrementAndGet();
                            try {
                                int way = random.nextInt(3);
                                Optional<Slot> slot = acquire(js, way, random.nextInt(5));
                                if (!slot.isPresent()) {
                                    (way == TRY ? empty : timeouts).incrementAndGet();
                                } else {
                                    acquired.incrementAndGet();
                                    try (Slot held = slot.get()) {
                                        if (random.nextBoolean()) {
                                            Thread.yield(); // the work: a moment, so others contend
                                        }
                                    }
                                }
                            } catch (CancellationException e) {
                                cancelled.incrementAndGet();
                            } catch (InterruptedException e) {
                                interrupted.incrementAndGet();
                            } catch (Exception e) {
                                errors.incrementAndGet();
                                System.out.println("load: " + e);
                            }
                        }
                        Thread.interrupted(); // an interrupt that came after the last wait
                    },
                    "load-" + i);
            workers.add(t);
        }
        Random random = new Random(seed);
        Thread canceller = new Thread(
                () -> {
                    while (System.nanoTime() < deadline) {
                        Thread victim = workers.get(random.nextInt(workers.size()));
                        if (random.nextInt(8) == 0) {
                            victim.interrupt();
                        } else {
                            js.cancelWaiting(victim);
                        }
                        try {
                            TimeUnit.MICROSECONDS.sleep(
                                    50 + random.nextInt(500)); // the pace of the cancels, not synchronisation
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "load-canceller");
        long t0 = System.nanoTime();
        workers.forEach(Thread::start);
        canceller.start();
        canceller.join();
        int blocked = 0;
        for (Thread t : workers) {
            // after the deadline every wait is cancelled until its thread ends; 10 s is the limit
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.isAlive() && System.nanoTime() < end) {
                js.cancelWaiting();
                t.join(10);
            }
            blocked += t.isAlive() ? 1 : 0;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int held = js.tokensHeld();
        System.out.printf(
                "load: ops %d acquired %d cancelled %d interrupted %d timeouts %d empty %d errors %d blocked %d"
                        + " held %d implicitFree %b seconds %.1f%n",
                ops.get(),
                acquired.get(),
                cancelled.get(),
                interrupted.get(),
                timeouts.get(),
                empty.get(),
                errors.get(),
                blocked,
                held,
                js.implicitSlotFree(),
                seconds);
        js.close();
        System.exit(blocked == 0 && held == 0 && errors.get() == 0 && js.implicitSlotFree() ? 0 : 1);
    }
}
