package io.github.jobserver;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread of a {@link Relay} that keeps one borrowed token ready in the relay's pool: when a client takes
 * it (FIONREAD shows 0) it borrows the next slot from the parent; when clients put back more than that one,
 * the surplus goes back to the parent; bytes beyond what was lent are taken out and dropped. What it holds is
 * its own while it runs and its stopper's once {@link #stop()} has joined it.
 */
final class RelayPump implements Runnable {
    /** How often the pump looks at the pool while a lent token waits there. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Jobserver parent;
    private final JobserverServer pool;
    private final Jobserver reader;
    /** Touched only by the pump thread, and by its stopper once the pump has ended. */
    private final Deque<Slot> borrowed = new ArrayDeque<>();

    private final Thread thread;
    private volatile boolean stopping;
    private volatile String problem;
    private int mostBorrowed;
    private int dropped;

    /** A pump over {@code pool}, which {@code reader} (holding its own implicit slot) takes bytes out of. */
    RelayPump(Jobserver parent, JobserverServer pool, Jobserver reader) {
        this.parent = parent;
        this.pool = pool;
        this.reader = reader;
        this.thread = new Thread(this, "jobserver-relay " + pool.fifo());
        this.thread.setDaemon(true);
    }

    /**
     * Lends a free parent token before the child starts, so a child that looks at once (a claim-all
     * client's one read) finds it there rather than racing the pump's first look; none when the parent has
     * none free, and the pump waits for one as usual.
     */
    void lendFirst() throws IOException {
        Optional<Slot> first = parent.tryAcquire();
        if (first.isPresent()) {
            borrowed.push(first.get());
            mostBorrowed = 1;
            pool.put(JobserverServer.TOKEN);
        }
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                int ready = pool.available();
                int held = borrowed.size();
                // each borrowed slot is one byte, in the pool or in the child's hands: more bytes than
                // that were written by the child without being lent
                if (ready > held) {
                    drop(ready - held);
                } else if (ready == 0) {
                    borrow();
                    continue;
                } else if (ready > 1) {
                    giveBackSurplus(ready - 1);
                }
                LockSupport.parkNanos(TICK_NANOS);
                if (Thread.interrupted()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // stop() ends the pump this way; nothing is held by the wait
        } catch (CancellationException e) {
            problem = "the parent jobserver " + parent.auth() + " stopped lending slots";
        } catch (EOFException e) {
            problem = e.getMessage();
        } catch (IOException | RuntimeException e) {
            problem = "relay over " + parent.auth() + " stopped: " + e;
        }
    }

    private void borrow() throws IOException, InterruptedException {
        borrowed.push(parent.acquire());
        mostBorrowed = Math.max(mostBorrowed, borrowed.size());
        pool.put(JobserverServer.TOKEN);
    }

    private void drop(int invented) throws IOException {
        for (int i = 0; i < invented && takeOne(); i++) {
            dropped++;
        }
    }

    private void giveBackSurplus(int surplus) throws IOException {
        for (int i = 0; i < surplus && takeOne(); i++) {
            Slot slot = borrowed.poll();
            if (slot != null) {
                slot.close();
            } else {
                dropped++;
            }
        }
    }

    /** Takes one byte out of the pool for good; false when another reader took it first. */
    private boolean takeOne() throws IOException {
        Optional<Slot> taken = reader.tryAcquire();
        if (taken.isPresent()) {
            taken.get().keep();
        }
        return taken.isPresent();
    }

    /**
     * Stops the pump and waits for it to end, however often this thread is interrupted meanwhile.
     *
     * @return whether this thread was interrupted while it waited (the caller restores the flag)
     */
    boolean stop() {
        stopping = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    /** Why the pump stopped before it was told to, or null. */
    String problem() {
        return problem;
    }

    /** The slots borrowed and still out; after {@link #stop()}, for the caller to give back. */
    Deque<Slot> borrowed() {
        return borrowed;
    }

    int dropped() {
        return dropped;
    }

    int mostBorrowed() {
        return mostBorrowed;
    }
}
