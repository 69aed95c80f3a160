package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slots this Maven holds of a jobserver, by key (a module, or a thread's mojo), and the queue of those
 * waiting for one: longest chain first. One per session; a {@link SlotPolicy} says when each build step
 * takes and gives back its slot.
 *
 * <p>Every slot is given back exactly once, by whichever comes first: its holder's end, or {@link #stop()}
 * (the session's end, or the JVM's shutdown hook: Ctrl-C, SIGTERM, System.exit).
 */
final class SlotQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SlotQueue.class);
    /** How long stop() waits for the reader to leave after its read was stopped. */
    private static final long READER_EXIT_NANOS = 10_000_000_000L;

    private final ConcurrentMap<String, Slot> moduleSlots = new ConcurrentHashMap<>();
    /** Slots held for the whole session (claim mode's), given back by stop(). Guarded by this. */
    private final List<Slot> held = new ArrayList<>();
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
    /** Whether a jobserver failing (a read, or a token that could not go back) was warned of: once a session. */
    private final AtomicBoolean failureWarned = new AtomicBoolean();

    private long arrivals;
    private final Map<String, Integer> heights;
    private volatile Jobserver jobserver;
    private volatile boolean stopped;
    /** Extra slots held by a key's forking test execution (see {@link #acquireExtra}). Guarded by this. */
    private final Map<String, List<Slot>> extraSlots = new HashMap<>();

    /**
     * @param heights each module's height in the reactor ({@link ReactorWidth#heights}): the queue serves the
     *     highest first
     */
    SlotQueue(Jobserver js, Map<String, Integer> heights) {
        this.jobserver = js;
        this.heights = heights;
    }

    /** The jobserver, until {@link #stop()}. */
    Optional<Jobserver> jobserver() {
        return Optional.ofNullable(jobserver);
    }

    /** The slot held under {@code key}, or under this thread's key (a mojo's, see {@link #threadKey()}). */
    Optional<Slot> slotOf(String key) {
        Slot slot = moduleSlots.get(key);
        return Optional.ofNullable(slot != null ? slot : moduleSlots.get(threadKey()));
    }

    /** Holds {@code slots} until {@link #stop()} (claim mode's slots, taken at the start). */
    synchronized void hold(List<Slot> slots) {
        if (stopped) {
            slots.forEach(this::giveBack);
            return;
        }
        held.addAll(slots);
    }

    boolean stopped() {
        return stopped;
    }

    /** The key of the slot held by the current thread's mojo. */
    static String threadKey() {
        return "thread " + Thread.currentThread().getId();
    }

    /**
     * Waits for a slot for this key (a module, or a thread's mojo). The modules waiting in this Maven queue here,
     * highest first ({@link ReactorWidth#heights}: the module with the longest build behind it goes
     * first), and one reader thread takes slots from the jobserver for the queue while it is not empty,
     * each for the head of the queue. Without the queue, Maven's threads each read the pipe and the
     * first lucky one runs, however little waits on it.
     *
     * @throws CancellationException when the session stops (its end, or the shutdown hook) before a slot
     *     came: the module must not run, since nothing would count it against the limit
     */
    void acquire(String moduleId) throws IOException, InterruptedException {
        Jobserver js = jobserver;
        if (js == null || stopped) {
            throw stopping();
        }
        Waiter me = new Waiter(moduleId, heights.getOrDefault(moduleId, 0));
        LOG.debug("jobserver: {} (height {}) needs a slot", moduleId, me.height);
        boolean stored = false;
        try {
            synchronized (this) {
                me.arrival = arrivals++;
                waiters.add(me);
                if (reader == null && !stopped && failure == null) {
                    reader = new Thread(() -> readForTheQueue(js), "jobserver-reader");
                    reader.setDaemon(true);
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
                if (stopped) {
                    throw stopping(); // the session ended while this thread waited: hold nothing past stop()
                }
                moduleSlots.put(moduleId, me.slot);
                handed.remove(me);
                stored = true;
                LOG.debug("jobserver: {} holds {}", moduleId, me.slot);
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
            stopReading(idle, js);
            if (unused != null) {
                giveBack(unused);
            }
        }
    }

    static CancellationException stopping() {
        return new CancellationException("the build is stopping");
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
                    warnOnce("jobserver: cannot read " + js.auth() + ": " + message(e)
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
                giveBack(unused); // nobody waits any more
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

    private void stopReading(Thread idle, Jobserver js) {
        if (idle != null && js != null) {
            js.cancelWaiting(idle);
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
     * Gives the module's slot back as soon as the module ends. The implicit slot goes straight to the
     * head of the queue: it belongs to this process, and the reader, blocked on the pipe, would not see
     * it free.
     */
    void giveBack(String moduleId) {
        Slot slot = moduleSlots.remove(moduleId);
        if (slot != null) {
            giveBack(slot, moduleId);
        }
    }

    /** Gives a slot back; the implicit one goes straight to the head of the queue (see giveBack(String)). */
    private void giveBack(Slot slot, String moduleId) {
        if (!slot.isImplicit()) {
            giveBack(slot);
            LOG.debug("jobserver: {} gave back {}", moduleId, slot);
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
            stopReading(idle, jobserver);
            LOG.debug("jobserver: {} passed {} to {}", moduleId, slot, next.module);
        } else {
            LOG.debug("jobserver: {} gave back {}", moduleId, slot);
        }
    }

    /**
     * Takes up to {@code wanted} more slots for the key's forks, without waiting: the tokens free now.
     * Nothing ever waits for a slot while holding one here, so no two modules can each hold part of what
     * they need. The slots are held until {@link #giveBackExtra}; stop() gives back any left.
     *
     * @return how many were taken
     */
    int acquireExtra(String moduleId, int wanted) {
        Jobserver js = jobserver;
        if (js == null || stopped || wanted <= 0) {
            return 0;
        }
        List<Slot> taken = new ArrayList<>();
        try {
            js.tryAcquireAll(taken, wanted);
        } catch (IOException | RuntimeException e) {
            LOG.debug("jobserver: no more fork slots for {}: {}", moduleId, e.toString());
        }
        synchronized (this) {
            if (!stopped) {
                extraSlots.computeIfAbsent(moduleId, k -> new ArrayList<>()).addAll(taken);
                return taken.size();
            }
        }
        for (Slot slot : taken) {
            giveBack(slot); // stop() ran meanwhile: nothing may be held past it
        }
        return 0;
    }

    /** Gives back the extra slots the key holds, if any: its execution ended or failed, or its module did. */
    void giveBackExtra(String moduleId) {
        List<Slot> slots;
        synchronized (this) {
            slots = extraSlots.remove(moduleId);
        }
        if (slots != null) {
            for (Slot slot : slots) {
                giveBack(slot, moduleId + "'s forks");
            }
        }
    }

    /**
     * Closes a slot. A token the jobserver cannot take back (its FIFO is gone) is a warning (the first
     * failure of a session only) and the build goes on: Maven gets no exception from a module's end or
     * the session's.
     */
    private boolean giveBack(Slot slot) {
        try {
            slot.close();
            return true;
        } catch (UncheckedIOException e) {
            warnOnce("jobserver: " + e.getMessage() + ": " + message(e.getCause()));
            return false;
        }
    }

    /** The first failure of the jobserver is a warning; what follows from it is only logged at debug. */
    private void warnOnce(String message) {
        if (failureWarned.compareAndSet(false, true)) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
    }

    private static String message(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return e.getMessage() + " no longer exists"; // its message is the path alone
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** How many modules wait for a slot. */
    synchronized int waiting() {
        return waiters.size();
    }

    /**
     * A module waiting for a slot, ordered highest first, then by arrival (a plain compareTo: comparator
     * lambdas cost ~8 ms to link at start-up).
     */
    private static final class Waiter implements Comparable<Waiter> {
        final String module;
        final int height;
        long arrival;
        /** Set, under the state's lock, when a slot is handed to this module. */
        Slot slot;

        Waiter(String module, int height) {
            this.module = module;
            this.height = height;
        }

        @Override
        public int compareTo(Waiter other) {
            return height != other.height
                    ? Integer.compare(other.height, height)
                    : Long.compare(arrival, other.arrival);
        }
    }

    /** Gives everything back and closes the connection; safe to call more than once, from any thread. */
    void stop() {
        Jobserver js;
        Thread lastReader;
        List<Slot> toGiveBack = new ArrayList<>();
        synchronized (this) {
            js = jobserver;
            if (js == null || stopped) {
                return;
            }
            stopped = true;
            lastReader = reader;
            toGiveBack.addAll(held);
            held.clear();
            // acquireFor stores a slot only under this lock and only before stopped is set
            toGiveBack.addAll(moduleSlots.values());
            moduleSlots.clear();
            for (List<Slot> slots : extraSlots.values()) {
                toGiveBack.addAll(slots);
            }
            extraSlots.clear();
            for (Waiter w : handed) {
                toGiveBack.add(w.slot); // handed over, not yet stored: its thread may never run again
                w.slot = null;
            }
            handed.clear();
            notifyAll();
        }
        // First stop every read and refuse new ones, then wait for the reader: a byte it read in the same
        // instant is a token it writes back itself, and in a shutdown hook the JVM halts as soon as this
        // returns (a daemon thread's pending write would be lost). Only then give back what is held.
        js.unguarded().ifPresent(why -> LOG.debug("jobserver: tokens were not guarded against a sudden end: {}", why));
        try {
            js.close();
        } catch (IOException e) {
            LOG.debug("jobserver: closing {}: {}", js, e.toString());
        }
        awaitReader(lastReader);
        int tokens = 0;
        for (Slot slot : toGiveBack) {
            if (giveBack(slot) && !slot.isImplicit()) {
                tokens++;
            }
        }
        LOG.debug("jobserver: stopped, gave back {} held", tokens == 1 ? "1 token" : tokens + " tokens");
        jobserver = null;
    }

    /** Waits for the reader thread to end after its read was stopped (bounded: it never blocks again). */
    private static void awaitReader(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
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
