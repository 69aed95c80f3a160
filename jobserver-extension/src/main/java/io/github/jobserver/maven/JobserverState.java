package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import io.github.jobserver.session.SessionJobserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.inject.Named;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this Maven holds of make's jobserver: the connection, the tokens claimed at start, and the slot
 * each running module holds. One per Maven session; plugins see it as the {@link SessionJobserver}.
 *
 * <p>Every slot is given back exactly once, by whichever comes first: the module's end, the session's
 * end, or the JVM's shutdown hook (Ctrl-C, SIGTERM, System.exit).
 */
@Named
@Singleton
public class JobserverState extends SessionJobserver {
    private static final Logger LOG = LoggerFactory.getLogger(JobserverState.class);
    /** How long stop() waits for the reader to leave after its read was stopped. */
    private static final long READER_EXIT_NANOS = 10_000_000_000L;

    private final ConcurrentMap<String, Slot> moduleSlots = new ConcurrentHashMap<>();
    private final List<Slot> claimed = new ArrayList<>();
    /** Modules waiting for a slot, highest first, then in order of arrival. Guarded by this. */
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>(
            Comparator.comparingInt((Waiter w) -> -w.height).thenComparingLong(w -> w.arrival));
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
    private volatile Map<String, Integer> heights = Collections.emptyMap();
    private volatile Jobserver jobserver;
    private volatile boolean dynamic;
    private volatile boolean perMojo;
    private volatile boolean stopped;
    /** Extra slots held by a module's forking test execution (see {@link #takeForkSlots}). Guarded by this. */
    private final Map<String, List<Slot>> forkSlots = new HashMap<>();
    /** Claim mode: the claimed slots, shared by the modules running and the forks they start. */
    private volatile Semaphore claimPermits;
    /** Modules holding one of {@link #claimPermits}. */
    private final Set<String> claimHolders = ConcurrentHashMap.newKeySet();
    /** Permits forks hold in claim mode, by module. Guarded by this. */
    private final Map<String, Integer> forkPermits = new HashMap<>();
    /** The most slots one mojo execution may hold: make's -jN, or the claim; 0 when forks take none. */
    private volatile int forkLimit;
    private Thread shutdownHook;

    @Override
    public Optional<Slot> slotOf(String moduleKey) {
        Slot slot = moduleSlots.get(moduleKey);
        return Optional.ofNullable(slot != null ? slot : moduleSlots.get(threadKey()));
    }

    @Override
    public Optional<Jobserver> jobserver() {
        return Optional.ofNullable(jobserver);
    }

    /**
     * @param forkLimit the most slots one mojo execution's forks may hold together (make's -jN, or the
     *     claim); 0 when forks take none (claim mode under the concurrent builder)
     */
    synchronized void start(Jobserver js, boolean dynamicMode, boolean perMojoSlots, List<Slot> claimedSlots,
            Map<String, Integer> moduleHeights, int forkLimit) {
        this.jobserver = js;
        this.forkLimit = forkLimit;
        this.claimPermits = !dynamicMode && forkLimit > 0 ? new Semaphore(Math.max(1, claimedSlots.size()), true) : null;
        this.claimHolders.clear();
        this.heights = moduleHeights;
        this.failure = null;
        this.failureWarned.set(false);
        this.dynamic = dynamicMode;
        this.perMojo = perMojoSlots;
        this.stopped = false;
        claimed.addAll(claimedSlots);
        shutdownHook = new Thread(this::stop, "jobserver-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        announce(js.auth().toString());
    }

    /** Dynamic mode with a slot per module build. */
    boolean perModule() {
        return dynamic && !perMojo && jobserver != null;
    }

    /** Whether a module waits here before it builds: dynamic mode per module, or claim mode (forks). */
    boolean gatesModules() {
        return perModule() || (claimPermits != null && jobserver != null);
    }

    /**
     * Dynamic mode with a slot per mojo execution: Maven 4's concurrent builder interleaves the steps of
     * many modules on its threads, and a module holding a slot across them deadlocks it (docs/FACTS.md, "Maven's hooks").
     */
    boolean perMojo() {
        return dynamic && perMojo && jobserver != null;
    }

    /** The key of the slot held by the current thread's mojo. */
    static String threadKey() {
        return "thread " + Thread.currentThread().getId();
    }

    /**
     * Waits for a slot for this module; dynamic mode only. The modules waiting in this Maven queue here,
     * highest first ({@link ReactorWidth#heights}: the module with the longest build behind it goes
     * first), and one reader thread takes slots from the jobserver for the queue while it is not empty,
     * each for the head of the queue. Without the queue, Maven's threads each read the pipe and the
     * first lucky one runs, however little waits on it.
     *
     * @throws CancellationException when the session stops (its end, or the shutdown hook) before a slot
     *     came: the module must not run, since nothing would count it against the limit
     */
    void acquireFor(String moduleId) throws IOException, InterruptedException {
        Jobserver js = jobserver;
        Semaphore permits = claimPermits;
        if (!dynamic && permits != null && js != null) {
            permits.acquire(); // free at once unless forks hold some of the claim
            claimHolders.add(moduleId);
            if (stopped) {
                releaseFor(moduleId);
                throw stopping();
            }
            return;
        }
        if (!dynamic || js == null) {
            return;
        }
        if (stopped) {
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

    private static CancellationException stopping() {
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
    void releaseFor(String moduleId) {
        Semaphore permits = claimPermits;
        if (permits != null && claimHolders.remove(moduleId)) {
            permits.release();
        }
        Slot slot = moduleSlots.remove(moduleId);
        if (slot != null) {
            release(slot, moduleId);
        }
    }

    /** Gives a slot back; the implicit one goes straight to the head of the queue (see releaseFor). */
    private void release(Slot slot, String moduleId) {
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

    /** The most slots one execution's forks may hold together; 0 when forks take none. */
    int forkLimit() {
        return jobserver != null ? forkLimit : 0;
    }

    /**
     * Takes up to {@code wanted} more slots for the forks of the module's running mojo, without waiting:
     * what is free now (tokens in dynamic mode, the claim's idle slots in claim mode). Nothing ever waits
     * for a slot while holding one here, so no two modules can each hold part of what they need. The slots
     * are held until {@link #releaseForkSlots}; stop() gives back any left.
     *
     * @return how many were taken
     */
    int takeForkSlots(String moduleId, int wanted) {
        Jobserver js = jobserver;
        if (js == null || stopped || wanted <= 0) {
            return 0;
        }
        Semaphore permits = claimPermits;
        if (permits != null) {
            int got = 0;
            while (got < wanted && permits.tryAcquire()) {
                got++;
            }
            synchronized (this) {
                forkPermits.merge(moduleId, got, Integer::sum);
            }
            return got;
        }
        List<Slot> taken = new ArrayList<>();
        try {
            for (Optional<Slot> slot; taken.size() < wanted && (slot = js.tryAcquire()).isPresent(); ) {
                taken.add(slot.get());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("jobserver: no more fork slots for {}: {}", moduleId, e.toString());
        }
        synchronized (this) {
            if (!stopped) {
                forkSlots.computeIfAbsent(moduleId, k -> new ArrayList<>()).addAll(taken);
                return taken.size();
            }
        }
        for (Slot slot : taken) {
            giveBack(slot); // stop() ran meanwhile: nothing may be held past it
        }
        return 0;
    }

    /** Gives back the slots the module's forks hold, if any: the mojo ended, failed, or the module did. */
    void releaseForkSlots(String moduleId) {
        List<Slot> slots;
        Integer permitsHeld;
        synchronized (this) {
            slots = forkSlots.remove(moduleId);
            permitsHeld = forkPermits.remove(moduleId);
        }
        Semaphore permits = claimPermits;
        if (permitsHeld != null && permits != null && permitsHeld > 0) {
            permits.release(permitsHeld);
        }
        if (slots != null) {
            for (Slot slot : slots) {
                release(slot, moduleId + "'s forks");
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

    /** Claim mode: how many modules wait for a claimed slot that forks hold. */
    int waitingForClaim() {
        Semaphore permits = claimPermits;
        return permits == null ? 0 : permits.getQueueLength();
    }

    /** How many modules wait for a slot. */
    synchronized int waiting() {
        return waiters.size();
    }

    /** A module waiting for a slot. */
    private static final class Waiter {
        final String module;
        final int height;
        long arrival;
        /** Set, under the state's lock, when a slot is handed to this module. */
        Slot slot;

        Waiter(String module, int height) {
            this.module = module;
            this.height = height;
        }
    }

    /** Gives everything back and closes the connection; safe to call more than once, from any thread. */
    void stop() {
        Jobserver js;
        Thread lastReader;
        boolean inHook;
        List<Slot> toRelease = new ArrayList<>();
        synchronized (this) {
            js = jobserver;
            if (js == null || stopped) {
                return;
            }
            stopped = true;
            lastReader = reader;
            inHook = Thread.currentThread() == shutdownHook;
            toRelease.addAll(claimed);
            claimed.clear();
            // acquireFor stores a slot only under this lock and only before stopped is set
            toRelease.addAll(moduleSlots.values());
            moduleSlots.clear();
            for (List<Slot> slots : forkSlots.values()) {
                toRelease.addAll(slots);
            }
            forkSlots.clear();
            forkPermits.clear();
            for (Waiter w : handed) {
                toRelease.add(w.slot); // handed over, not yet stored: its thread may never run again
                w.slot = null;
            }
            handed.clear();
            notifyAll();
        }
        // First stop every read and refuse new ones, then wait for the reader: a byte it read in the same
        // instant is a token it writes back itself, and in a shutdown hook the JVM halts as soon as this
        // returns (a daemon thread's pending write would be lost). Only then give back what is held.
        try {
            js.close();
        } catch (IOException e) {
            LOG.debug("jobserver: closing {}: {}", js, e.toString());
        }
        awaitReader(lastReader);
        int tokens = 0;
        for (Slot slot : toRelease) {
            if (giveBack(slot) && !slot.isImplicit()) {
                tokens++;
            }
        }
        LOG.debug("jobserver: stopped{}, gave back {} held", inHook ? " (shutdown hook)" : "",
                tokens == 1 ? "1 token" : tokens + " tokens");
        synchronized (this) {
            jobserver = null;
            withdraw();
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to: it finds nothing left to do
                }
            }
            shutdownHook = null;
        }
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
            LOG.warn("jobserver: the reader thread did not stop within {} s; a token it holds may not be given back",
                    READER_EXIT_NANOS / 1_000_000_000L);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
