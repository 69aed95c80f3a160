package io.github.jobserver;

/**
 * The slot every jobserver client owns without reading it: make counts the process itself as one job.
 * Closing it frees it for the next {@link Jobserver#acquire()} of this process; nothing is written.
 */
public final class ImplicitSlot extends Slot {
    private final Jobserver owner;

    ImplicitSlot(Jobserver owner) {
        this.owner = owner;
    }

    @Override
    public boolean isImplicit() {
        return true;
    }

    @Override
    void giveBack() {
        owner.giveBackImplicit();
    }

    @Override
    void kept() {
        owner.giveBackImplicit();
    }

    @Override
    public String toString() {
        return "implicit slot" + (isGivenBack() ? " (given back)" : "");
    }
}
