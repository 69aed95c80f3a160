package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import java.io.IOException;
import java.util.Optional;

/**
 * When each step of the build holds a slot, and where a forking test execution's extra slots come from:
 * chosen once per session ({@link JobserverDecision}), then asked by the listeners at each module and mojo.
 * Each policy keeps its own slots and stops through {@link Shutdown}. A new policy is one more subclass and
 * one more branch where it is chosen.
 *
 * <ul>
 *   <li>{@link DynamicPolicy.PerModule} (dynamic mode): a module holds a slot while it builds, taken from the
 *       {@link SlotQueue} just before it starts.</li>
 *   <li>{@link DynamicPolicy.PerMojo} (dynamic mode, Maven 4's concurrent builder): a mojo execution holds a
 *       slot on the thread that runs it; modules are not held back (docs/FACTS.md, "Maven's hooks": per-module
 *       blocking deadlocks that builder).</li>
 *   <li>{@link Claim} (claim mode): the tokens free at the start are claimed for the session; the claimed
 *       slots are shared by the modules running and the forks they start.</li>
 *   <li>{@link #NONE}: no jobserver.</li>
 * </ul>
 * In every policy a forking execution ({@link Forks}) holds its module's slot and extra slots taken without
 * waiting, so no thread ever waits for a slot while holding one.
 */
abstract class SlotPolicy {

    /** No jobserver: nothing is held, nothing waits. */
    static final SlotPolicy NONE = new None();

    /** The jobserver the session runs under, until it stops. */
    abstract Optional<Jobserver> jobserver();

    /** The slot held for the build running on this thread; see {@link io.github.jobserver.session.SessionJobserver#slotOf}. */
    abstract Optional<Slot> slotOf(String moduleKey);

    /** Before a module builds, on its builder thread: may wait for a slot. */
    void beforeModule(String moduleKey) throws IOException, InterruptedException {}

    /** After a module's build, whether it failed or not: what it holds goes back. */
    void afterModule(String moduleKey, boolean failed) {
        giveBackExtra(moduleKey);
    }

    /**
     * Before a mojo runs, on its thread. What the module's last mojo held for forks goes back first: a mojo
     * failing with MojoExecutionException gets no afterExecutionFailure (docs/FACTS.md, "Maven's hooks").
     */
    void beforeMojo(String moduleKey) throws IOException, InterruptedException {
        giveBackExtra(moduleKey);
    }

    /** After a mojo ran, whether it failed or not. */
    void afterMojo(String moduleKey) {
        giveBackExtra(moduleKey);
    }

    /** The most slots one execution's forks may hold together; 0 when forks take none, or there is no jobserver. */
    abstract int forkLimit();

    /** Takes up to {@code wanted} extra slots for the module's forks, only what is free now; how many. */
    abstract int acquireExtra(String moduleKey, int wanted);

    /** Gives back the extra slots the module's forks hold, if any. */
    abstract void giveBackExtra(String moduleKey);

    /** Gives everything back; safe to call more than once, from any thread. */
    abstract void stop();

    /** No jobserver: every answer is "nothing". */
    private static final class None extends SlotPolicy {
        @Override
        Optional<Jobserver> jobserver() {
            return Optional.empty();
        }

        @Override
        Optional<Slot> slotOf(String moduleKey) {
            return Optional.empty();
        }

        @Override
        int forkLimit() {
            return 0;
        }

        @Override
        int acquireExtra(String moduleKey, int wanted) {
            return 0;
        }

        @Override
        void giveBackExtra(String moduleKey) {}

        @Override
        void stop() {}
    }
}
