package io.github.jobserver;

/**
 * The right to run one job. Either the process's {@link ImplicitSlot} (every client owns one that is
 * never read from or written to the jobserver) or a {@link Token} read from it. Close it, once, when
 * the job ends; a second close does nothing.
 *
 * <p>Like resolver's named locks, {@code close()} throws no checked exception so a slot sits in
 * try-with-resources; a token that cannot be written back is reported with an
 * {@link java.io.UncheckedIOException}, never dropped silently.
 */
public abstract class Slot implements AutoCloseable {

    Slot() {
    }

    /** True for the process's implicit slot, which is never written to the jobserver. */
    public abstract boolean isImplicit();

    /** True once {@link #close()} has run. */
    public abstract boolean isReleased();

    /** Gives the slot back: a token is written back as the same byte; the implicit slot becomes free. */
    @Override
    public abstract void close();
}
