package io.github.jobserver;

import java.util.Objects;

/**
 * Why there is no usable jobserver: a normal outcome, never an exception. Callers log
 * {@link #toString()} (one line) and carry on without one, as {@link Category} tells them.
 */
public final class NoJobserver {

    /** What the caller should do about it. */
    public enum Category {
        /** Nothing advertised: not under {@code make -jN}. Stay silent. */
        ABSENT,
        /**
         * Advertised but unusable or unsafe (a rule without {@code +}, negative fds, a missing FIFO):
         * make's own answer is to warn and run with {@code -j1}.
         */
        BROKEN,
        /** MAKEFLAGS could not be understood: warn, then behave as if there were no jobserver. */
        UNPARSEABLE,
        /** A real jobserver this platform cannot use (a Windows semaphore, no back end): warn. */
        UNSUPPORTED
    }

    /** The precise reason, each in one category. */
    public enum Reason {
        NONE_ADVERTISED(Category.ABSENT),
        DISABLED(Category.BROKEN),
        UNPARSEABLE(Category.UNPARSEABLE),
        UNSUPPORTED(Category.UNSUPPORTED),
        /** A descriptor is not open. */
        CLOSED_FD(Category.BROKEN),
        /** A descriptor is open but is not a pipe or FIFO (a jar the JVM opened, /dev/null, a socket). */
        NOT_A_PIPE(Category.BROKEN),
        /** R and W are pipes, but not the same one. */
        DIFFERENT_PIPES(Category.BROKEN),
        /** R is not open for reading or W not for writing. */
        WRONG_ACCESS_MODE(Category.BROKEN),
        /** The FIFO path does not exist. */
        MISSING_FIFO(Category.BROKEN),
        /** The path exists but is not a FIFO (or is a symbolic link). */
        NOT_A_FIFO(Category.BROKEN),
        /** The FIFO belongs to another user. */
        NOT_OWNER(Category.BROKEN),
        /** Checking or opening failed with an I/O error. */
        CANNOT_OPEN(Category.BROKEN);

        private final Category category;

        Reason(Category category) {
            this.category = category;
        }

        public Category category() {
            return category;
        }
    }

    private final Reason reason;
    private final String detail;

    NoJobserver(Reason reason, String detail) {
        this.reason = Objects.requireNonNull(reason);
        this.detail = Objects.requireNonNull(detail);
    }

    public Reason reason() {
        return reason;
    }

    public Category category() {
        return reason.category();
    }

    /** One line saying what was found, in make's terms where make has any. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
