package io.github.jobserver.plugin;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
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

    private ChildTree() {
    }

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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        List<Object> left = new ArrayList<>();
        for (Object handle : tree) {
            if (!awaitExit(handle, deadline)) {
                left.add(handle);
            }
        }
        signal(left, "destroyForcibly");
        child.waitFor();
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
