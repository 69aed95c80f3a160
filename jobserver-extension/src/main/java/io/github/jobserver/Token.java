package io.github.jobserver;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One byte read from the jobserver. Closing it writes back exactly that byte, exactly once, from
 * whichever thread closes it, even an interrupted one.
 */
public final class Token extends Slot {
    private final Jobserver owner;
    private final byte value;

    Token(Jobserver owner, byte value) {
        this.owner = owner;
        this.value = value;
    }

    /** The byte read; make writes {@code '+'}, other servers other bytes. It goes back unchanged. */
    public byte value() {
        return value;
    }

    @Override
    public boolean isImplicit() {
        return false;
    }

    /**
     * Writes the byte back.
     *
     * @throws UncheckedIOException when the jobserver cannot be written (its pipe is gone); the token
     *     counts as given back so nobody writes it twice
     */
    @Override
    void giveBack() {
        try {
            owner.giveBack(this);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot give jobserver token '" + (char) value + "' back to " + owner.auth(), e);
        }
    }

    @Override
    void kept() {
        owner.forget(this);
    }

    @Override
    public String toString() {
        return "token '" + (char) value + "'" + (isGivenBack() ? " (given back)" : "");
    }
}
