package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic mode: a build step waits in the {@link SlotQueue} for a slot of the jobserver just before it starts
 * and gives it back as soon as it ends; a forking execution takes the slots free now, never waiting.
 */
abstract class DynamicPolicy extends SlotPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicPolicy.class);

    private final Failures failures = new Failures();
    private final Shutdown shutdown;
    private final SlotQueue queue;
    /** The slot each build step holds, by its key (a module, or a thread's mojo). */
    final HeldSlots slots = new HeldSlots();
    /** The extra slots each module's forking execution holds. */
    private final HeldSlots forks = new HeldSlots();

    private final int forkLimit;

    /**
     * @param heights each key's height in the reactor: the queue serves the highest first
     * @param forkLimit make's -jN: no execution's forks hold more
     */
    DynamicPolicy(Jobserver js, Map<String, Integer> heights, int forkLimit) {
        this.shutdown = new Shutdown(js, failures);
        this.queue = new SlotQueue(js, heights, failures);
        this.forkLimit = forkLimit;
    }

    @Override
    final Optional<Jobserver> jobserver() {
        return shutdown.jobserver();
    }

    @Override
    final int forkLimit() {
        return jobserver().isPresent() ? forkLimit : 0;
    }

    /** Waits in the queue for a slot held under {@code key}. */
    final void acquire(String key) throws IOException, InterruptedException {
        queue.acquire(key, slots);
    }

    /** Gives back the slot held under {@code key}, if any: the implicit one to the head of the queue. */
    final void giveBack(String key) {
        for (Slot slot : slots.remove(key)) {
            queue.giveBack(slot, key);
        }
    }

    /**
     * Takes the slots free now, up to {@code wanted}. Nothing ever waits for a slot while holding one here, so
     * no two modules can each hold part of what they need. Held until {@link #giveBackExtra}, or the stop.
     */
    @Override
    final int acquireExtra(String moduleKey, int wanted) {
        Optional<Jobserver> js = shutdown.jobserver();
        if (!js.isPresent() || shutdown.stopped() || wanted <= 0) {
            return 0;
        }
        List<Slot> taken = new ArrayList<>();
        try {
            js.get().tryAcquireAll(taken, wanted);
        } catch (IOException | RuntimeException e) {
            LOG.debug("jobserver: no more fork slots for {}: {}", moduleKey, e.toString());
        }
        if (forks.addAll(moduleKey, taken)) {
            return taken.size();
        }
        for (Slot slot : taken) {
            failures.giveBack(slot); // the stop ran meanwhile: nothing may be held past it
        }
        return 0;
    }

    @Override
    final void giveBackExtra(String moduleKey) {
        for (Slot slot : forks.remove(moduleKey)) {
            queue.giveBack(slot, moduleKey + "'s forks");
        }
    }

    @Override
    final void stop() {
        shutdown.stop(queue, slots, forks); // the queue first: it hands slots to `slots`
    }

    /** How many build steps wait for a slot. */
    final int waiting() {
        return queue.waiting();
    }

    /** A slot per module build, taken from the queue just before it starts. */
    static final class PerModule extends DynamicPolicy {
        /**
         * @param heights each module's height in the reactor ({@link ReactorWidth#heights})
         * @param forkLimit make's -jN: no execution's forks hold more
         */
        PerModule(Jobserver js, Map<String, Integer> heights, int forkLimit) {
            super(js, heights, forkLimit);
        }

        @Override
        Optional<Slot> slotOf(String moduleKey) {
            return Optional.ofNullable(slots.get(moduleKey));
        }

        @Override
        void beforeModule(String moduleKey) throws IOException, InterruptedException {
            acquire(moduleKey);
        }

        @Override
        void afterModule(String moduleKey, boolean failed) {
            super.afterModule(moduleKey, failed);
            giveBack(moduleKey);
        }
    }

    /** Under the concurrent builder: a slot per mojo execution, held by the thread running it. */
    static final class PerMojo extends DynamicPolicy {
        /** @param forkLimit make's -jN: no execution's forks hold more */
        PerMojo(Jobserver js, int forkLimit) {
            // the queue's keys are threads, which have no height: first come, first served
            super(js, Collections.<String, Integer>emptyMap(), forkLimit);
        }

        /** The key of the slot held by the current thread's mojo. */
        static String threadKey() {
            return "thread " + Thread.currentThread().getId();
        }

        /** The slot held under {@code moduleKey}, or else by this thread's mojo. */
        @Override
        Optional<Slot> slotOf(String moduleKey) {
            Slot slot = slots.get(moduleKey);
            return Optional.ofNullable(slot != null ? slot : slots.get(threadKey()));
        }

        @Override
        void afterModule(String moduleKey, boolean failed) {
            super.afterModule(moduleKey, failed);
            if (failed) {
                giveBack(threadKey()); // a failed mojo's slot (see beforeMojo)
            }
        }

        @Override
        void beforeMojo(String moduleKey) throws IOException, InterruptedException {
            super.beforeMojo(moduleKey);
            String key = threadKey();
            giveBack(key);
            acquire(key);
        }

        @Override
        void afterMojo(String moduleKey) {
            super.afterMojo(moduleKey);
            giveBack(threadKey());
        }
    }
}
