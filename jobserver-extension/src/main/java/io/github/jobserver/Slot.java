package io.github.jobserver;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to run one job. Either the process's {@link ImplicitSlot} (every client owns one that is
 * never read from or written to the jobserver) or a {@link Token} read from it. Close it when the job
 * ends; only the first close gives it back, from whichever thread.
 *
 * <p>Like resolver's named locks, {@code close()} throws no checked exception so a slot sits in
 * try-with-resources; a token that cannot be written back is reported with an
 * {@link java.io.UncheckedIOException}, never dropped silently.
 */
public abstract class Slot implements AutoCloseable {
    private final AtomicBoolean done = new AtomicBoolean();

    Slot() {}

    /** True for the process's implicit slot, which is never written to the jobserver. */
    public abstract boolean isImplicit();

    /** True once {@link #close()} has run (or the slot was kept: see keep()). */
    public final boolean isGivenBack() {
        return done.get();
    }

    /** Gives the slot back, once: a token is written back as the same byte; the implicit slot becomes free. */
    @Override
    public final void close() {
        if (done.compareAndSet(false, true)) {
            giveBack();
        }
    }

    /** What giving this slot back means; called exactly once. */
    abstract void giveBack();

    /**
     * Marks the slot done without giving it back: for a {@link Relay} taking a byte out of its own
     * pool for good (the slot it stood for goes back to the relay's parent instead). True if it was held.
     */
    final boolean keep() {
        if (done.compareAndSet(false, true)) {
            kept();
            return true;
        }
        return false;
    }

    /** What keeping this slot means for its owner's count; called at most once. */
    void kept() {}
}
