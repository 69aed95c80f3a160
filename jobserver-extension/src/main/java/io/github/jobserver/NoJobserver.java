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
        NONE_ADVERTISED(Category.ABSENT, false),
        /** Negative fds: make 4.4 hides its pipe this way from a rule without {@code +}. */
        DISABLED(Category.BROKEN, true),
        UNPARSEABLE(Category.UNPARSEABLE, false),
        UNSUPPORTED(Category.UNSUPPORTED, false),
        /** A descriptor is not open. */
        CLOSED_FD(Category.BROKEN, true),
        /** A descriptor is open but is not a pipe or FIFO (a jar the JVM opened, /dev/null, a socket). */
        NOT_A_PIPE(Category.BROKEN, true),
        /** R and W are pipes, but not the same one. */
        DIFFERENT_PIPES(Category.BROKEN, true),
        /** R is not open for reading or W not for writing. */
        WRONG_ACCESS_MODE(Category.BROKEN, true),
        /** The FIFO path does not exist. */
        MISSING_FIFO(Category.BROKEN, false),
        /** The path exists but is not a FIFO (or is a symbolic link). */
        NOT_A_FIFO(Category.BROKEN, false),
        /** The FIFO belongs to another user. */
        NOT_OWNER(Category.BROKEN, false),
        /** Checking or opening failed with an I/O error. */
        CANNOT_OPEN(Category.BROKEN, false),
        /**
         * The descriptors were given to another process, which passed only MAKEFLAGS on (the mvnd client to
         * its daemon): here their numbers are this process's own files. Never looked at.
         */
        NOT_INHERITED(Category.BROKEN, false);

        private final Category category;
        private final boolean plusHelps;

        Reason(Category category, boolean plusHelps) {
            this.category = category;
            this.plusHelps = plusHelps;
        }

        public Category category() {
            return category;
        }

        /**
         * Whether marking the rule with {@code +} can help: only where make hides inherited descriptors from
         * a plain rule. A FIFO (make 4.4's default) is named in every recipe's MAKEFLAGS, {@code +} or not.
         */
        public boolean plusHelps() {
            return plusHelps;
        }
    }

    private final Reason reason;
    private final String detail;

    NoJobserver(Reason reason, String detail) {
        this.reason = Objects.requireNonNull(reason);
        this.detail = Objects.requireNonNull(detail);
    }

    /**
     * Make's pipe ({@code auth}, by descriptor numbers) was given to {@code holder}, which passed this process
     * only its MAKEFLAGS: the numbers name this process's own files, so they are refused without a look.
     *
     * @param remedy what works instead, for the one-line warning
     */
    public static NoJobserver notInherited(JobserverAuth auth, String holder, String remedy) {
        return new NoJobserver(
                Reason.NOT_INHERITED,
                "make's pipe (fds " + auth.toAuthValue() + ") was given to " + holder + ", not to this process; "
                        + remedy);
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

    /**
     * The one-line warning for a {@link Category#BROKEN} jobserver, in make's words and with make's answer
     * (run one job); make's remedy, {@code Add '+' to the parent make rule.}, only where it helps.
     */
    public String warning() {
        return "jobserver unavailable: using -j1." + (reason.plusHelps() ? " Add '+' to the parent make rule." : "")
                + " (" + detail + ")";
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
