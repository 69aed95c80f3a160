package io.github.jobserver.maven;

import io.github.jobserver.Slot;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobserver's failures in one session: the first (a read that failed, a token that could not go back) is a
 * warning, what follows from it is only logged at debug. A failure never reaches Maven as an exception.
 */
final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * Gives a slot back. A token the jobserver cannot take back (its FIFO is gone) is a warning and the build
     * goes on: Maven gets no exception from a module's end or the session's.
     *
     * @return whether it went back
     */
    boolean giveBack(Slot slot) {
        try {
            slot.close();
            return true;
        } catch (UncheckedIOException e) {
            warnOnce("jobserver: " + e.getMessage() + ": " + message(e.getCause()));
            return false;
        }
    }

    /** The first failure of the session is a warning; the rest only debug. */
    void warnOnce(String message) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
    }

    static String message(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return e.getMessage() + " no longer exists"; // its message is the path alone
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
