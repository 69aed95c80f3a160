package io.github.jobserver;

import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Chooses this process's {@link Backend}, once. The back ends are named here and only here, by class name:
 * loading one is the first time its platform's classes (jnr's native ones, say) are touched, and a new
 * platform is one more line in {@link #select}.
 */
final class Backends {

    /**
     * System property choosing the back end: {@code auto} (default: proc on Linux, else jnr), {@code proc},
     * {@code jnr}.
     */
    static final String PROPERTY = "jobserver.backend";

    private static final String PROC = "io.github.jobserver.backend.proc.ProcBackend";
    private static final String JNR = "io.github.jobserver.backend.jnr.JnrBackend";

    private static volatile Backend current;

    private Backends() {}

    /** The back end for this process: /proc on Linux (pure Java, loads in microseconds). */
    static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
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
            return b.name().equals("jnr");
        }
        String choice = System.getProperty(PROPERTY, "auto");
        return choice.equals("jnr") || choice.equals("auto") && !procAvailable();
    }

    static Backend select(String choice) {
        switch (choice) {
            case "proc":
                return load(PROC, "proc", "");
            case "jnr":
                return load(JNR, "jnr", "");
            case "auto":
                return procAvailable() ? load(PROC, "proc", "") : load(JNR, "jnr", "no /proc/self/fd, and ");
            default:
                return new Unsupported("unknown " + PROPERTY + "=" + choice + " (use auto, proc or jnr)");
        }
    }

    private static Backend load(String className, String name, String context) {
        try {
            return Class.forName(className, true, Backends.class.getClassLoader())
                    .asSubclass(Backend.class)
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            return new Unsupported(context + "the " + name + " back end cannot be loaded: " + cause);
        }
    }

    static boolean procAvailable() {
        return Files.isDirectory(Paths.get("/proc/self/fd")) && Files.isDirectory(Paths.get("/proc/self/fdinfo"));
    }

    /** Reports every jobserver as unsupported, with the reason; never touches a descriptor. */
    static final class Unsupported implements Backend {
        private final String why;

        Unsupported(String why) {
            this.why = why;
        }

        @Override
        public String name() {
            return "unsupported";
        }

        @Override
        public Endpoint open(JobserverAuth auth) throws NoJobserverException {
            throw new NoJobserverException(NoJobserver.Reason.UNSUPPORTED, why);
        }
    }
}
