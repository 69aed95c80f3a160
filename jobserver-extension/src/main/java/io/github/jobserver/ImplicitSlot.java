package io.github.jobserver;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The slot every jobserver client owns without reading it: make counts the process itself as one job.
 * Closing it frees it for the next {@link Jobserver#acquire()} of this process; nothing is written.
 */
public final class ImplicitSlot extends Slot {
    private final Jobserver owner;
    private final AtomicBoolean released = new AtomicBoolean();

    ImplicitSlot(Jobserver owner) {
        this.owner = owner;
    }

    @Override
    public boolean isImplicit() {
        return true;
    }

    @Override
    public boolean isReleased() {
        return released.get();
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            owner.freeImplicitSlot();
        }
    }

    @Override
    public String toString() {
        return "implicit slot" + (isReleased() ? " (released)" : "");
    }
}
