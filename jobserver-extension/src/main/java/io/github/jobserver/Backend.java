package io.github.jobserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The platform part of the client: proving that descriptors or a path are a jobserver, and opening
 * private descriptions on it. Chosen once per process by {@link #current()}.
 */
abstract class Backend {

    /**
     * System property choosing the back end: {@code auto} (default: proc on Linux, else jnr), {@code proc},
     * {@code jnr}.
     */
    static final String PROPERTY = "jobserver.backend";

    /** Null when the descriptors are one pipe, readable at R and writable at W; else why not. */
    abstract NoJobserver checkPipe(int readFd, int writeFd);

    /** Opens a validated pipe jobserver. */
    abstract Endpoint openPipe(int readFd, int writeFd) throws IOException;

    /** Null when the path is a FIFO owned by this user and not a symbolic link; else why not. */
    abstract NoJobserver checkFifo(Path fifo);

    /** Opens a validated FIFO jobserver without blocking, whether or not a server is alive. */
    abstract Endpoint openFifo(Path fifo) throws IOException;

    /** A short name for messages. */
    abstract String name();

    private static volatile Backend current;

    /** The back end for this process: /proc on Linux (pure Java, loads in microseconds). */
    static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backend.class) {
                b = current;
                if (b == null) {
                    b = select(System.getProperty(PROPERTY, "auto"));
                    current = b;
                }
            }
        }
        return b;
    }

    /** Whether this process's back end is, or would be, the jnr one. */
    static boolean jnrSelected() {
        Backend b = current;
        if (b != null) {
            return b instanceof JnrBackend;
        }
        String choice = System.getProperty(PROPERTY, "auto");
        return choice.equals("jnr") || choice.equals("auto") && !procAvailable();
    }

    static Backend select(String choice) {
        switch (choice) {
            case "proc":
                return new ProcBackend();
            case "jnr":
                return jnr("");
            case "auto":
                return procAvailable() ? new ProcBackend() : jnr("no /proc/self/fd, and ");
            default:
                return new UnsupportedBackend("unknown " + PROPERTY + "=" + choice + " (use auto, proc or jnr)");
        }
    }

    /** Loads jnr only now, and only here: the JnrBackend class is the one place that names it. */
    private static Backend jnr(String context) {
        try {
            return new JnrBackend();
        } catch (LinkageError | RuntimeException e) {
            return new UnsupportedBackend(context + "the jnr back end cannot be loaded: " + e);
        }
    }

    static boolean procAvailable() {
        return Files.isDirectory(Paths.get("/proc/self/fd")) && Files.isDirectory(Paths.get("/proc/self/fdinfo"));
    }

    /** Reports every jobserver as unsupported, with the reason; never touches a descriptor. */
    static final class UnsupportedBackend extends Backend {
        private final String why;

        UnsupportedBackend(String why) {
            this.why = why;
        }

        @Override
        NoJobserver checkPipe(int readFd, int writeFd) {
            return new NoJobserver(NoJobserver.Reason.UNSUPPORTED, why);
        }

        @Override
        Endpoint openPipe(int readFd, int writeFd) throws IOException {
            throw new IOException(why);
        }

        @Override
        NoJobserver checkFifo(Path fifo) {
            return new NoJobserver(NoJobserver.Reason.UNSUPPORTED, why);
        }

        @Override
        Endpoint openFifo(Path fifo) throws IOException {
            throw new IOException(why);
        }

        @Override
        String name() {
            return "unsupported";
        }
    }
}
