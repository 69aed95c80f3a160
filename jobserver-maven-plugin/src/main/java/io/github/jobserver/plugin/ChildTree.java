package io.github.jobserver.plugin;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Stops a child and everything it started. The bytecode targets Java 8, so the Java 9 process-tree API
 * is reached by reflection; on a Java 8 JVM only the child itself is stopped.
 */
final class ChildTree {
    /** java.lang.ProcessHandle, or null on Java 8. */
    private static final Class<?> HANDLE = handleType();

    private ChildTree() {}

    private static Class<?> handleType() {
        try {
            return Class.forName("java.lang.ProcessHandle");
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** SIGTERM to the child's descendants and the child, then SIGKILL to what is left after the grace. */
    static void stop(Process child, long graceMillis) throws InterruptedException {
        List<Object> tree = descendants(child);
        signal(tree, "destroy");
        child.destroy();
        if (!child.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
            child.destroyForcibly();
        }
        stopAll(tree, graceMillis, false);
        child.waitFor();
    }

    /**
     * SIGTERM to every process (when {@code signal}; the caller may have sent it), then SIGKILL to what is
     * left after the grace. Handles compare start times, so a process number reused since is never signalled.
     */
    static void stopAll(List<Object> processes, long graceMillis, boolean signal) {
        if (signal) {
            signal(processes, "destroy");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        List<Object> left = new ArrayList<>();
        for (Object handle : processes) {
            if (!awaitExit(handle, deadline)) {
                left.add(handle);
            }
        }
        signal(left, "destroyForcibly");
    }

    /**
     * Remembers every process seen under a running child (looked at every {@value #WATCH_MILLIS} ms), so
     * the ones it leaves behind when it dies, which are no longer its descendants, can still be found.
     */
    static final class Watch {
        private final Set<Object> seen = new LinkedHashSet<>();
        private final Thread thread;
        private final String output;

        Watch(Process child) {
            output = outputOf(child);
            thread = new Thread(
                    () -> {
                        try {
                            do {
                                List<Object> now = descendants(child);
                                synchronized (seen) {
                                    seen.addAll(now);
                                }
                            } while (!child.waitFor(WATCH_MILLIS, TimeUnit.MILLISECONDS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "jobserver-serve-watch");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * After the child ended: the processes seen under it that are still running, and any process
         * still holding its output.
         */
        List<Object> survivors() throws InterruptedException {
            thread.join();
            Set<Object> alive = new LinkedHashSet<>();
            synchronized (seen) {
                for (Object handle : seen) {
                    if (isAlive(handle)) {
                        alive.add(handle);
                    }
                }
            }
            alive.addAll(holdersOf(output));
            return new ArrayList<>(alive);
        }
    }

    /** The child's pid, or -1 on Java 8. */
    static long pid(Process child) {
        try {
            return ((Number) Process.class.getMethod("pid").invoke(child)).longValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * What the child's standard output is, e.g. {@code pipe:[4711]}, read through /proc while it runs;
     * null without /proc or once it has ended.
     */
    static String outputOf(Process child) {
        long pid = pid(child);
        if (pid < 0) {
            return null;
        }
        try {
            return Files.readSymbolicLink(Paths.get("/proc/" + pid + "/fd/1")).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The other processes of this user that hold {@code output} open (a pipe from {@link #outputOf}):
     * whatever a killed child left behind that still writes to its output, found even when it was
     * started too briefly before the child died for a {@link Watch} to see it.
     */
    static List<Object> holdersOf(String output) {
        List<Object> holders = new ArrayList<>();
        if (output == null || HANDLE == null) {
            return holders;
        }
        String self;
        try {
            self = Files.readSymbolicLink(Paths.get("/proc/self")).toString();
        } catch (IOException e) {
            return holders;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Paths.get("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (!proc.getFileName().toString().equals(self) && holds(proc, output)) {
                    Object handle = HANDLE.getMethod("of", long.class)
                            .invoke(null, Long.parseLong(proc.getFileName().toString()));
                    ((java.util.Optional<?>) handle).ifPresent(holders::add);
                }
            }
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            // /proc went away under us: what was found so far
        }
        return holders;
    }

    private static boolean holds(Path proc, String output) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(output)) {
                        return true;
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        } catch (IOException | RuntimeException notOurs) {
            // another user's process, or gone
        }
        return false;
    }

    /** How often a {@link Watch} looks at the child's tree. */
    static final long WATCH_MILLIS = 100;

    /** "pid command" of each process, for a message. */
    static String describe(List<Object> handles) {
        List<String> out = new ArrayList<>();
        for (Object h : handles) {
            try {
                Object pid = HANDLE.getMethod("pid").invoke(h);
                Object info = HANDLE.getMethod("info").invoke(h);
                Object command = Class.forName("java.lang.ProcessHandle$Info")
                        .getMethod("command")
                        .invoke(info);
                out.add(pid + " "
                        + ((java.util.Optional<?>) command)
                                .map(c -> new java.io.File(c.toString()).getName())
                                .orElse("?"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                out.add(String.valueOf(h));
            }
        }
        return String.join(", ", out);
    }

    /** Waits until the process has exited or the deadline passes; true when it exited. */
    private static boolean awaitExit(Object handle, long deadline) {
        try {
            Object exited = HANDLE.getMethod("onExit").invoke(handle);
            long left = Math.max(0, deadline - System.nanoTime());
            ((java.util.concurrent.CompletableFuture<?>) exited).get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !isAlive(handle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !isAlive(handle);
        } catch (ReflectiveOperationException | java.util.concurrent.ExecutionException | RuntimeException e) {
            return !isAlive(handle);
        }
    }

    /** The child's descendants, deepest last; empty on Java 8. */
    static List<Object> descendants(Process child) {
        try {
            if (HANDLE == null) {
                return new ArrayList<>();
            }
            Object handle = Process.class.getMethod("toHandle").invoke(child);
            Stream<?> all = (Stream<?>) HANDLE.getMethod("descendants").invoke(handle);
            return all.collect(Collectors.toList());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new ArrayList<>();
        }
    }

    private static boolean isAlive(Object handle) {
        try {
            return (Boolean) HANDLE.getMethod("isAlive").invoke(handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static void signal(List<Object> handles, String method) {
        try {
            if (handles.isEmpty()) {
                return; // nothing to signal, and on Java 8 there never is
            }
            Method m = HANDLE.getMethod(method);
            for (Object h : handles) {
                m.invoke(h);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Java 8, or a process that is already gone
        }
    }
}
