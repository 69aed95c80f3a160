package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * When each step of the build holds a slot, and where a forking test execution's extra slots come from:
 * chosen once per session ({@link JobserverLifecycleParticipant}), then asked by the listeners at each
 * module and mojo. A new policy is one more subclass here and one more branch where it is chosen.
 *
 * <ul>
 *   <li>{@link PerModule} (dynamic mode): a module holds a slot while it builds, taken from the
 *       {@link SlotQueue} just before it starts.</li>
 *   <li>{@link PerMojo} (dynamic mode, Maven 4's concurrent builder): a mojo execution holds a slot on the
 *       thread that runs it; modules are not held back (docs/FACTS.md, "Maven's hooks": per-module blocking
 *       deadlocks that builder).</li>
 *   <li>{@link Claim} (claim mode): the tokens free at the start are claimed for the session; the claimed
 *       slots are shared by the modules running and the forks they start.</li>
 * </ul>
 * In every policy a forking execution ({@link Forks}) holds its module's slot and extra slots taken without
 * waiting, so no thread ever waits for a slot while holding one.
 */
abstract class SlotPolicy {

    /** No jobserver: nothing is held, nothing waits. */
    static final SlotPolicy NONE = new SlotPolicy(null, 0) {};

    /** The queue of the session's slots; null for {@link #NONE}. */
    final SlotQueue queue;

    private final int forkLimit;

    private SlotPolicy(SlotQueue queue, int forkLimit) {
        this.queue = queue;
        this.forkLimit = forkLimit;
    }

    /** The jobserver the session runs under, until it stops. */
    Optional<Jobserver> jobserver() {
        return queue == null ? Optional.empty() : queue.jobserver();
    }

    /** The slot held for the build running on this thread; see {@link io.github.jobserver.session.SessionJobserver#slotOf}. */
    Optional<Slot> slotOf(String moduleKey) {
        return queue == null ? Optional.empty() : queue.slotOf(moduleKey);
    }

    /** Before a module builds, on its builder thread: may wait for a slot. */
    void beforeModule(String module) throws IOException, InterruptedException {}

    /** After a module's build, whether it failed or not: what it holds goes back. */
    void afterModule(String module, boolean failed) {
        giveBackExtra(module);
    }

    /**
     * Before a mojo runs, on its thread. What the module's last mojo held for forks goes back first: a mojo
     * failing with MojoExecutionException gets no afterExecutionFailure (docs/FACTS.md, "Maven's hooks").
     */
    void beforeMojo(String module) throws IOException, InterruptedException {
        giveBackExtra(module);
    }

    /** After a mojo ran, whether it failed or not. */
    void afterMojo(String module) {
        giveBackExtra(module);
    }

    /** The most slots one execution's forks may hold together; 0 when forks take none, or there is no jobserver. */
    int forkLimit() {
        return jobserver().isPresent() ? forkLimit : 0;
    }

    /** Takes up to {@code wanted} extra slots for the module's forks, only what is free now; how many. */
    int acquireExtra(String module, int wanted) {
        return queue == null ? 0 : queue.acquireExtra(module, wanted);
    }

    /** Gives back the extra slots the module's forks hold, if any. */
    void giveBackExtra(String module) {
        if (queue != null) {
            queue.giveBackExtra(module);
        }
    }

    /** Gives everything back; safe to call more than once, from any thread. */
    void stop() {
        if (queue != null) {
            queue.stop();
        }
    }

    /** Dynamic mode: a slot per module build, taken from the queue just before it starts. */
    static final class PerModule extends SlotPolicy {
        /** @param forkLimit make's -jN: no execution's forks hold more */
        PerModule(SlotQueue queue, int forkLimit) {
            super(queue, forkLimit);
        }

        @Override
        void beforeModule(String module) throws IOException, InterruptedException {
            queue.acquire(module);
        }

        @Override
        void afterModule(String module, boolean failed) {
            super.afterModule(module, failed);
            queue.giveBack(module);
        }
    }

    /** Dynamic mode under the concurrent builder: a slot per mojo execution, held by the thread running it. */
    static final class PerMojo extends SlotPolicy {
        PerMojo(SlotQueue queue, int forkLimit) {
            super(queue, forkLimit);
        }

        @Override
        void afterModule(String module, boolean failed) {
            super.afterModule(module, failed);
            if (failed) {
                queue.giveBack(SlotQueue.threadKey()); // a failed mojo's slot (see beforeMojo)
            }
        }

        @Override
        void beforeMojo(String module) throws IOException, InterruptedException {
            super.beforeMojo(module);
            String key = SlotQueue.threadKey();
            queue.giveBack(key);
            queue.acquire(key);
        }

        @Override
        void afterMojo(String module) {
            super.afterMojo(module);
            queue.giveBack(SlotQueue.threadKey());
        }
    }

    /**
     * Claim mode: the slots claimed at the start are held for the session ({@link SlotQueue#hold}) and lent
     * out here: a module takes one before it builds, forks take the idle ones, and a module that would start
     * while forks hold them waits. Under the concurrent builder modules must not wait, so there nothing is
     * lent and forks run one JVM per claimed thread ({@code forkLimit} 0).
     */
    static final class Claim extends SlotPolicy {
        /** The claimed slots as permits; null when nothing is lent (forkLimit 0). */
        private final Semaphore permits;
        /** Modules holding a permit. */
        private final Set<String> holders = ConcurrentHashMap.newKeySet();
        /** Permits forks hold, by module. Guarded by this. */
        private final Map<String, Integer> forkPermits = new HashMap<>();

        /** @param threads the threads Maven runs, one per claimed slot; 0 when nothing is lent */
        Claim(SlotQueue queue, List<Slot> claimed, int threads) {
            super(queue, threads);
            queue.hold(claimed);
            this.permits = threads > 0 ? new Semaphore(Math.max(1, claimed.size()), true) : null;
        }

        @Override
        void beforeModule(String module) throws InterruptedException {
            if (permits == null) {
                return;
            }
            permits.acquire(); // free at once unless forks hold some of the claim
            holders.add(module);
            if (queue.stopped()) {
                afterModule(module, true);
                throw SlotQueue.stopping();
            }
        }

        @Override
        void afterModule(String module, boolean failed) {
            super.afterModule(module, failed);
            if (permits != null && holders.remove(module)) {
                permits.release();
            }
        }

        @Override
        int acquireExtra(String module, int wanted) {
            if (permits == null || queue.stopped() || wanted <= 0) {
                return 0;
            }
            int got = 0;
            while (got < wanted && permits.tryAcquire()) {
                got++;
            }
            synchronized (this) {
                forkPermits.merge(module, got, Integer::sum);
            }
            return got;
        }

        @Override
        void giveBackExtra(String module) {
            Integer held;
            synchronized (this) {
                held = forkPermits.remove(module);
            }
            if (held != null && held > 0) {
                permits.release(held);
            }
        }

        /** How many modules wait for a claimed slot that forks hold. */
        int waiting() {
            return permits == null ? 0 : permits.getQueueLength();
        }
    }
}
