package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Claim mode: the slots claimed at the start are held for the session and lent out here: a module takes one
 * before it builds, forks take the idle ones, and a module that would start while forks hold them waits.
 * Under the concurrent builder modules must not wait, so there nothing is lent and forks run one JVM per
 * claimed thread ({@code forkLimit} 0).
 */
final class Claim extends SlotPolicy {
    /** The one key the claimed slots are held under. */
    private static final String CLAIMED = "the claim";

    private final Shutdown shutdown;
    /** The claimed slots, held until the session stops. */
    private final HeldSlots claimed = new HeldSlots();
    /** The claimed slots as permits; null when nothing is lent (forkLimit 0). */
    private final Semaphore permits;
    /** Modules holding a permit. */
    private final Set<String> holders = ConcurrentHashMap.newKeySet();
    /** Permits forks hold, by module. Guarded by this. */
    private final Map<String, Integer> forkPermits = new HashMap<>();

    private final int forkLimit;

    /**
     * @param claimed the slots taken at the start, held until {@link #stop}
     * @param threads the threads Maven runs, one per claimed slot; 0 when nothing is lent
     */
    Claim(Jobserver js, List<Slot> claimed, int threads) {
        this.shutdown = new Shutdown(js, new Failures());
        this.claimed.addAll(CLAIMED, claimed);
        this.permits = threads > 0 ? new Semaphore(Math.max(1, claimed.size()), true) : null;
        this.forkLimit = threads;
    }

    @Override
    Optional<Jobserver> jobserver() {
        return shutdown.jobserver();
    }

    /** Empty: a claimed slot is the session's, not one module's. */
    @Override
    Optional<Slot> slotOf(String moduleKey) {
        return Optional.empty();
    }

    @Override
    int forkLimit() {
        return jobserver().isPresent() ? forkLimit : 0;
    }

    @Override
    void beforeModule(String moduleKey) throws InterruptedException {
        if (permits == null) {
            return;
        }
        permits.acquire(); // free at once unless forks hold some of the claim
        holders.add(moduleKey);
        if (shutdown.stopped()) {
            afterModule(moduleKey, true);
            throw Shutdown.stopping();
        }
    }

    @Override
    void afterModule(String moduleKey, boolean failed) {
        super.afterModule(moduleKey, failed);
        if (permits != null && holders.remove(moduleKey)) {
            permits.release();
        }
    }

    @Override
    int acquireExtra(String moduleKey, int wanted) {
        if (permits == null || shutdown.stopped() || wanted <= 0) {
            return 0;
        }
        int got = 0;
        while (got < wanted && permits.tryAcquire()) {
            got++;
        }
        synchronized (this) {
            Integer before = forkPermits.get(moduleKey);
            forkPermits.put(moduleKey, before == null ? got : before + got);
        }
        return got;
    }

    @Override
    void giveBackExtra(String moduleKey) {
        Integer held;
        synchronized (this) {
            held = forkPermits.remove(moduleKey);
        }
        if (held != null && held > 0) {
            permits.release(held);
        }
    }

    @Override
    void stop() {
        shutdown.stop(claimed);
    }

    /** How many modules wait for a claimed slot that forks hold. */
    int waiting() {
        return permits == null ? 0 : permits.getQueueLength();
    }
}
