package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's jobserver until the session stops, and the one order in which stopping gives back every slot it
 * holds, for every policy. The session stops at its end, or in the JVM's shutdown hook (Ctrl-C, SIGTERM,
 * System.exit); every slot is given back exactly once, by whichever comes first: its holder's end, or
 * {@link #stop}.
 */
final class Shutdown {
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);
    /** How long stop() waits for a reader to leave after its read was stopped. */
    private static final long READER_EXIT_NANOS = 10_000_000_000L;

    /** A part of a policy that holds slots: the queue, or a policy's {@link HeldSlots}. */
    interface Holder {
        /**
         * Stores and hands over no slot from now on, and adds every slot held (or handed over and not yet
         * stored) to {@code into}.
         *
         * @return the thread that may still be reading the jobserver for this part, or null
         */
        Thread refuse(List<Slot> into);
    }

    private final Failures failures;
    /** Null once stopped. Guarded by this for writes. */
    private volatile Jobserver jobserver;

    private volatile boolean stopped;

    Shutdown(Jobserver js, Failures failures) {
        this.jobserver = js;
        this.failures = failures;
    }

    /** The jobserver, until {@link #stop} has given everything back. */
    Optional<Jobserver> jobserver() {
        return Optional.ofNullable(jobserver);
    }

    /** True from the moment {@link #stop} begins. */
    boolean stopped() {
        return stopped;
    }

    /** What a wait for a slot throws when the session stops: the module must not run uncounted. */
    static CancellationException stopping() {
        return new CancellationException("the build is stopping");
    }

    /**
     * Gives back everything the {@code holders} hold and closes the connection; safe to call more than once,
     * from any thread (the second call returns at once). The order is what keeps every token:
     * <ol>
     *   <li>Every holder refuses new slots and lists those it holds, in the order given. A slot the queue hands
     *       to a module is stored under the queue's lock, so the queue comes first: once it has refused, no
     *       slot reaches a later holder. A slot going the other way (the implicit slot passed back to the
     *       queue) is in its giver's hands, and the queue, refusing under that lock, leaves it to the giver.</li>
     *   <li>Every read is stopped and no new one starts ({@link Jobserver#close()}).</li>
     *   <li>The reader is awaited: a byte it read in the same instant is a token it writes back itself, and in
     *       a shutdown hook the JVM halts as soon as this returns (a daemon thread's pending write is lost).</li>
     *   <li>Only then is what is held given back.</li>
     * </ol>
     * A slot its holder took out of a holder before the stop, or could not store after it, that holder gives
     * back itself.
     */
    void stop(Holder... holders) {
        Jobserver js;
        synchronized (this) {
            js = jobserver;
            if (js == null || stopped) {
                return;
            }
            stopped = true;
        }
        List<Slot> held = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (Holder holder : holders) {
            Thread reader = holder.refuse(held);
            if (reader != null) {
                readers.add(reader);
            }
        }
        Optional<String> unguarded = js.unguarded();
        if (unguarded.isPresent()) {
            LOG.debug("jobserver: tokens were not guarded against a sudden end: {}", unguarded.get());
        }
        try {
            js.close();
        } catch (IOException e) {
            LOG.debug("jobserver: closing {}: {}", js, e.toString());
        }
        for (Thread reader : readers) {
            awaitReader(reader);
        }
        int tokens = 0;
        for (Slot slot : held) {
            if (failures.giveBack(slot) && !slot.isImplicit()) {
                tokens++;
            }
        }
        LOG.debug("jobserver: stopped, gave back {} held", tokens == 1 ? "1 token" : tokens + " tokens");
        jobserver = null;
    }

    /** Waits for a reader thread to end after its read was stopped (bounded: it never blocks again). */
    private static void awaitReader(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + READER_EXIT_NANOS;
        for (long left; thread.isAlive() && (left = deadline - System.nanoTime()) > 0; ) {
            try {
                thread.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (thread.isAlive()) {
            LOG.warn(
                    "jobserver: the reader thread did not stop within {} s; a token it holds may not be given back",
                    READER_EXIT_NANOS / 1_000_000_000L);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
