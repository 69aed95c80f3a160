package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules of this Maven waiting for a slot, longest chain first, and the one reader thread that takes
 * slots from the jobserver for them. One per session under a dynamic policy ({@link DynamicPolicy}), which
 * stores each slot handed over in its {@link HeldSlots} and gives it back through {@link #giveBack}.
 */
final class SlotQueue implements Shutdown.Holder {
    private static final Logger LOG = LoggerFactory.getLogger(SlotQueue.class);

    private final Jobserver jobserver;
    private final Map<String, Integer> heights;
    private final Failures failures;
    /** Modules waiting for a slot, highest first, then in order of arrival. Guarded by this. */
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
    /** Waiters given a slot that they have not stored yet. Guarded by this. */
    private final Set<Waiter> handed = new HashSet<>();
    /** The thread that reads the jobserver for the queue, while the session runs. Guarded by this. */
    private Thread reader;
    /**
     * Why reading the jobserver failed (its FIFO was removed, say); from then on no reader runs and the
     * modules left take turns on this Maven's implicit slot. Guarded by this.
     */
    private IOException failure;
    /** Guarded by this. */
    private long arrivals;
    /** Set by {@link #refuse}: no slot is handed over or stored any more. Written under this. */
    private volatile boolean stopped;

    /**
     * @param heights each module's height in the reactor ({@link ReactorWidth#heights}): the queue serves the
     *     highest first
     * @param failures where a failed read or give-back is reported
     */
    SlotQueue(Jobserver js, Map<String, Integer> heights, Failures failures) {
        this.jobserver = js;
        this.heights = heights;
        this.failures = failures;
    }

    /**
     * Waits for a slot for {@code key} (a module, or a thread's mojo) and stores it in {@code into}. The modules
     * waiting in this Maven queue here, highest first ({@link ReactorWidth#heights}: the module with the longest
     * build behind it goes first), and one reader thread takes slots from the jobserver for the queue while it
     * is not empty, each for the head of the queue. Without the queue, Maven's threads each read the pipe and
     * the first lucky one runs, however little waits on it.
     *
     * @throws CancellationException when the session stops (its end, or the shutdown hook) before a slot
     *     came: the module must not run, since nothing would count it against the limit
     */
    void acquire(String key, HeldSlots into) throws IOException, InterruptedException {
        Jobserver js = jobserver;
        if (stopped) {
            throw Shutdown.stopping();
        }
        Waiter me = new Waiter(key, heights.getOrDefault(key, 0));
        LOG.debug("jobserver: {} (height {}) needs a slot", key, me.height);
        boolean stored = false;
        try {
            synchronized (this) {
                me.arrival = arrivals++;
                waiters.add(me);
                if (reader == null && !stopped && failure == null) {
                    reader = new Reader(this, js); // a class, not a lambda: docs/FACTS.md, "Code on the start-up path"
                    reader.start();
                }
                notifyAll();
                while (me.slot == null && !stopped) {
                    if (failure != null && waiters.peek() == me) {
                        me.slot = js.acquireImplicit().orElse(null); // never reads the failed jobserver
                    }
                    if (me.slot == null) {
                        wait();
                    }
                }
                // stored only under this lock and before stopped is set: refuse() finds it here or in `into`
                if (stopped || !into.add(key, me.slot)) {
                    throw Shutdown.stopping(); // the session ended while this thread waited: hold nothing past it
                }
                handed.remove(me);
                stored = true;
                LOG.debug("jobserver: {} holds {}", key, me.slot);
            }
        } finally {
            Slot unused = null;
            Thread idle;
            synchronized (this) {
                waiters.remove(me);
                if (!stored && me.slot != null) {
                    handed.remove(me);
                    unused = me.slot; // interrupted after a slot was handed over: not kept
                    me.slot = null;
                }
                idle = idleReader();
            }
            stopReading(idle);
            if (unused != null) {
                failures.giveBack(unused);
            }
        }
    }

    /** The thread that runs {@link #readForTheQueue}. */
    private static final class Reader extends Thread {
        private final SlotQueue queue;
        private final Jobserver js;

        Reader(SlotQueue queue, Jobserver js) {
            super("jobserver-reader");
            this.queue = queue;
            this.js = js;
            setDaemon(true);
        }

        @Override
        public void run() {
            queue.readForTheQueue(js);
        }
    }

    /** The reader thread: while modules wait, takes a slot (the implicit one first) for the head of the queue. */
    private void readForTheQueue(Jobserver js) {
        while (true) {
            synchronized (this) {
                try {
                    while (!stopped && waiters.isEmpty()) {
                        wait();
                    }
                } catch (InterruptedException e) {
                    reader = null;
                    return;
                }
                if (stopped) {
                    reader = null;
                    return;
                }
            }
            Slot slot;
            try {
                slot = js.acquire();
            } catch (CancellationException e) {
                continue; // the queue emptied while reading, or the session stopped
            } catch (IOException | InterruptedException | RuntimeException e) {
                synchronized (this) {
                    failure = e instanceof IOException ? (IOException) e : new IOException(e.toString(), e);
                    reader = null;
                    notifyAll();
                }
                if (!stopped) {
                    failures.warnOnce("jobserver: cannot read " + js.auth() + ": " + Failures.message(e)
                            + "; the modules left run one at a time");
                }
                return;
            }
            Slot unused;
            synchronized (this) {
                unused = handTo(waiters.poll(), slot);
                notifyAll();
            }
            if (unused != null) {
                failures.giveBack(unused); // nobody waits any more
            }
        }
    }

    /**
     * The reader to stop, when the queue is empty (called under the lock; the caller stops it after
     * leaving the lock, so a read can never wait on it). A read the reader starts later is not stopped:
     * it takes the next token that comes and gives it straight back.
     */
    private Thread idleReader() {
        return waiters.isEmpty() ? reader : null;
    }

    private void stopReading(Thread idle) {
        if (idle != null) {
            jobserver.cancelWaiting(idle);
        }
    }

    /** Gives {@code slot} to {@code waiter}; returns it when nobody can take it. Holds the lock. */
    private Slot handTo(Waiter waiter, Slot slot) {
        if (waiter == null || stopped) {
            return slot;
        }
        waiter.slot = slot;
        handed.add(waiter);
        return null;
    }

    /**
     * Gives back a slot its {@code holder} (for the log) took out of its {@link HeldSlots}. The implicit slot
     * goes straight to the head of the queue: it belongs to this process, and the reader, blocked on the
     * pipe, would not see it free.
     */
    void giveBack(Slot slot, String holder) {
        if (!slot.isImplicit()) {
            failures.giveBack(slot);
            LOG.debug("jobserver: {} gave back {}", holder, slot);
            return;
        }
        Waiter next;
        Thread idle;
        synchronized (this) {
            next = waiters.poll();
            if (handTo(next, slot) != null) {
                next = null;
                // free again under the lock: after a failed read, the head of the queue waits for exactly this
                slot.close();
            }
            notifyAll();
            idle = idleReader();
        }
        if (next != null) {
            stopReading(idle);
            LOG.debug("jobserver: {} passed {} to {}", holder, slot, next.key);
        } else {
            LOG.debug("jobserver: {} gave back {}", holder, slot);
        }
    }

    /** How many modules wait for a slot. */
    synchronized int waiting() {
        return waiters.size();
    }

    /**
     * A module waiting for a slot, ordered highest first, then by arrival (a plain compareTo, not comparator
     * lambdas: docs/FACTS.md, "Code on the start-up path").
     */
    private static final class Waiter implements Comparable<Waiter> {
        final String key;
        final int height;
        long arrival;
        /** Set, under the queue's lock, when a slot is handed to this module. */
        Slot slot;

        Waiter(String key, int height) {
            this.key = key;
            this.height = height;
        }

        @Override
        public int compareTo(Waiter other) {
            return height != other.height
                    ? Integer.compare(other.height, height)
                    : Long.compare(arrival, other.arrival);
        }
    }

    /** Hands over no slot from now on; lists those handed over and not yet stored. Returns the reader. */
    @Override
    public synchronized Thread refuse(List<Slot> into) {
        stopped = true;
        for (Waiter w : handed) {
            into.add(w.slot); // handed over, not yet stored: its thread may never run again
            w.slot = null;
        }
        handed.clear();
        notifyAll();
        return reader;
    }
}
