package io.github.jobserver;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The reading side of a {@link Jobserver}: each waiting thread reads one byte on a private description of its
 * own, which a timeout, {@link #cancel()} or {@link #close()} stops by closing it. A byte read in the same
 * instant as the stop is still a token: it is handed over (or, on an interrupt, written back), never dropped.
 * Descriptions that read a byte are kept for the next read. No lambdas: a claim reads here at every Maven
 * start under make (docs/FACTS.md, "Code on the start-up path").
 */
final class TokenReader {

    private static final int READING = 0;
    private static final int DONE = 1;
    private static final int TIMED_OUT = 2;
    private static final int CANCELLED = 3;

    /**
     * How long in all a try may look again when its read timed out with the byte it saw still there (a loaded
     * machine, a first native call): long enough for a descheduled thread to run, short enough that a pool
     * whose bytes keep being taken by others does not hold a build at start-up.
     */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Jobserver owner;
    private final Endpoint endpoint;
    private final ConcurrentLinkedDeque<Endpoint.ReadEnd> idle = new ConcurrentLinkedDeque<>();
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private ScheduledThreadPoolExecutor timer;

    TokenReader(Jobserver owner, Endpoint endpoint) {
        this.owner = owner;
        this.endpoint = endpoint;
    }

    /**
     * Reads one token on a private description. {@code timeoutNanos < 0} waits forever; with
     * {@code onlyIfAvailable} nothing is read when FIONREAD shows no byte, and where it says nothing (a server
     * in user space) one read waits {@code timeoutNanos} at most. Null when it timed out.
     *
     * @throws InterruptedException when the thread is interrupted while waiting (a byte read is written back)
     * @throws CancellationException when {@link #cancel()} or {@link #close()} stopped the wait
     * @throws EOFException when the jobserver's pipe reached EOF
     */
    Token read(long timeoutNanos, boolean onlyIfAvailable) throws IOException, InterruptedException {
        long lateUntil = System.nanoTime() + LATE_NANOS;
        while (true) {
            Endpoint.ReadEnd end = idle.poll();
            if (end == null) {
                end = endpoint.openReadEnd();
            }
            int available = onlyIfAvailable ? end.available() : -1;
            if (available == 0) {
                keepIdle(end);
                return null;
            }
            Token token = readOn(end, timeoutNanos);
            // a read that saw a byte and timed out while the byte is still there was only slow (a loaded
            // machine, a first native call), not beaten by another reader: it looks again, for a while
            if (token != null || available < 0 || closed || System.nanoTime() - lateUntil > 0) {
                return token;
            }
        }
    }

    /** Keeps a description for the next read; closes it when the client closed meanwhile (nobody would). */
    private void keepIdle(Endpoint.ReadEnd end) {
        idle.push(end);
        if (closed && idle.remove(end)) {
            closeQuietly(end); // close() drained the idle list before this push, or is draining it now
        }
    }

    /** One read on {@code end}, which it keeps idle or closes; null when it timed out. */
    private Token readOn(Endpoint.ReadEnd end, long timeoutNanos) throws IOException, InterruptedException {
        Waiter waiter = new Waiter(end);
        waiters.add(waiter);
        if (closed) {
            waiter.stop(CANCELLED);
        }
        ScheduledFuture<?> deadline =
                timeoutNanos < 0 ? null : timer().schedule(waiter, timeoutNanos, TimeUnit.NANOSECONDS);
        ByteBuffer one = ByteBuffer.allocate(1);
        int n = 0;
        boolean interrupted = false;
        IOException failure = null;
        try {
            while (n == 0) {
                n = end.read(one);
            }
        } catch (ClosedByInterruptException e) {
            interrupted = true;
        } catch (ClosedChannelException e) {
            // stopped by the timeout, cancel() or close(): the outcome says which
        } catch (IOException e) {
            failure = e;
        } finally {
            waiters.remove(waiter);
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
        int outcome = waiter.finish();
        if (outcome == DONE && !interrupted && failure == null && n > 0 && !closed) {
            keepIdle(end);
        } else {
            closeQuietly(end);
        }
        if (one.position() == 1) {
            // A byte read is a token, whatever else happened in the same instant.
            Token token = owner.took(one.get(0));
            if (!interrupted) {
                return token;
            }
            token.close();
        }
        JobserverAuth auth = owner.auth();
        if (interrupted) {
            Thread.interrupted(); // the channel left the flag set; InterruptedException replaces it
            throw new InterruptedException("interrupted while waiting for a token from " + auth);
        }
        if (failure != null) {
            throw failure;
        }
        if (n < 0) {
            throw new EOFException("jobserver " + auth + " reached EOF: its server is gone");
        }
        if (outcome == CANCELLED) {
            throw new CancellationException("waiting for a token from " + auth + " was cancelled");
        }
        return null;
    }

    /** Stops every wait in progress; each throws {@link CancellationException}. Returns how many. */
    int cancel() {
        return cancel(null, true);
    }

    /** Stops the wait in progress on {@code thread}, if any. Returns how many it stopped. */
    int cancel(Thread thread) {
        return cancel(thread, false);
    }

    private int cancel(Thread thread, boolean all) {
        int stopped = 0;
        for (Waiter waiter : waiters) {
            if ((all || waiter.thread == thread) && waiter.stop(CANCELLED)) {
                stopped++;
            }
        }
        return stopped;
    }

    /** Stops every wait and closes the idle descriptions and the timer; a read that starts later is cancelled. */
    void close() {
        closed = true;
        cancel();
        for (Endpoint.ReadEnd end; (end = idle.poll()) != null; ) {
            closeQuietly(end);
        }
        synchronized (this) {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }

    private synchronized ScheduledThreadPoolExecutor timer() throws IOException {
        if (closed) {
            throw new IOException("jobserver client for " + owner.auth() + " is closed");
        }
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, new TimerThread());
            timer.setRemoveOnCancelPolicy(true);
        }
        return timer;
    }

    private static void closeQuietly(Endpoint.ReadEnd end) {
        try {
            end.close();
        } catch (IOException ignored) {
            // a private read description: closing it cannot lose a token
        }
    }

    /** The timer's one daemon thread, which ends waits at their timeout. */
    private static final class TimerThread implements ThreadFactory {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "jobserver-timeout");
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * One thread reading on its own description, which can be stopped from another thread; run by the timer,
     * it stops the read as timed out.
     */
    private static final class Waiter implements Runnable {
        private final Endpoint.ReadEnd end;
        private final Thread thread = Thread.currentThread();
        private int state = READING;

        Waiter(Endpoint.ReadEnd end) {
            this.end = end;
        }

        @Override
        public void run() {
            stop(TIMED_OUT);
        }

        /** Stops the read if it is still in progress; the reader sees a closed channel. */
        boolean stop(int why) {
            synchronized (this) {
                if (state != READING) {
                    return false;
                }
                state = why;
            }
            closeQuietly(end); // outside the lock: close waits for the reading thread to leave read()
            return true;
        }

        /** Marks the read finished and says whether it was stopped first. */
        synchronized int finish() {
            if (state == READING) {
                state = DONE;
            }
            return state;
        }
    }
}
