package io.github.jobserver.maven;

/**
 * The Maven daemon (mvnd 1.x, 2.x): a build runs in a long-lived daemon JVM on behalf of a client process. The
 * client sends its environment (MAKEFLAGS too), not its descriptors, and always passes a {@code -T}: the user's,
 * or its own default, {@code max(processors - 1, mvnd.minThreads)} (mvnd's {@code DaemonParameters.threads()}).
 */
final class Mvnd {
    /** The daemon's id, a system property the client sets when it starts a daemon. */
    static final String ID = "mvnd.id";

    private Mvnd() {}

    /** Whether this JVM is an mvnd daemon. */
    static boolean isDaemon() {
        return System.getProperty(ID) != null;
    }

    /**
     * The {@code -T} the client passes when the user gave none. The daemon cannot tell it from a user's
     * {@code -T} of the same number; that one is then not taken as a cap either.
     */
    static int automaticThreads() {
        return Math.max(Runtime.getRuntime().availableProcessors() - 1, Integer.getInteger("mvnd.minThreads", 1));
    }

    /** What to do instead of make's pipe, for the warning. */
    static final String REMEDY =
            "make 4.4's FIFO (its default jobserver style) reaches the daemon, or run plain mvn in this rule";
}
