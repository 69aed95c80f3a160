package io.github.jobserver.plugin;

import io.github.jobserver.Guardian;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.maven.plugin.logging.Log;

/**
 * The life of {@code serve}'s child, from its start until it and everything it started have ended: a guardian
 * process stops it if this JVM is killed outright, a shutdown hook stops it and gives its lease back if this
 * JVM exits first, a watchdog stops it at the timeout, its output goes to the log line by line, and the
 * processes a child killed by a signal leaves running are stopped. What the ending means is the mojo's call.
 */
final class ChildRun {
    /** How the child ended. */
    static final class Ending {
        /** The child's exit status; above 128 when a signal killed it. */
        final int exit;
        /** Whether the watchdog stopped it. */
        final boolean timedOut;

        Ending(int exit, boolean timedOut) {
            this.exit = exit;
            this.timedOut = timedOut;
        }
    }

    private final Process child;
    /** The command's words, as every log line names the child. */
    private final String what;
    /** How long a stopped child may take to exit before it is killed. */
    private final long graceMillis;

    private final Log log;
    /** Set by the watchdog before it stops the child. */
    private final AtomicBoolean timedOut = new AtomicBoolean();

    private ChildRun(Process child, String what, long graceMillis, Log log) {
        this.child = child;
        this.what = what;
        this.graceMillis = graceMillis;
        this.log = log;
    }

    /**
     * Starts the child and waits until it, and what it started, have ended. If this thread is interrupted
     * meanwhile, the child and its tree are stopped before the interruption is thrown on.
     *
     * @param what the command's words, for the log
     * @param timeoutSeconds when to stop the child and its tree; 0: never
     * @param graceMillis how long a stopped process may take to exit before it is killed
     * @param lease given back by the shutdown hook if this JVM exits while the child runs
     * @throws IOException when the child cannot start
     */
    static Ending run(
            ProcessBuilder builder, String what, int timeoutSeconds, long graceMillis, SlotSource.Lease lease, Log log)
            throws IOException, InterruptedException {
        return new ChildRun(builder.start(), what, graceMillis, log).await(timeoutSeconds, lease);
    }

    private Ending await(int timeoutSeconds, SlotSource.Lease lease) throws InterruptedException {
        // SIGKILL of this JVM (the OOM killer) runs none of the code below: a guardian process stops the child
        Guardian guardian = guard();
        Thread hook = shutdownHook(guardian, lease);
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService watchdog = timeoutSeconds > 0 ? watchdog(timeoutSeconds) : null;
        ChildTree.Watch watch = new ChildTree.Watch(child);
        Thread output = forwardOutput();
        int exit;
        try {
            exit = child.waitFor();
            if (exit > 128 && !timedOut.get()) {
                stopSurvivors(watch, exit);
            }
            output.join(graceMillis);
            if (output.isAlive()) {
                log.warn("jobserver: processes started by " + what + " keep its output open after it exited " + exit
                        + "; not waiting for them");
            }
        } catch (InterruptedException e) {
            // stopped before the interruption is passed on: with the flag set, the grace's wait would end at
            // once and a child that ignores SIGTERM would never be sent SIGKILL
            stopQuietly();
            throw e;
        } finally {
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
            if (!child.isAlive()) {
                closeQuietly(guardian); // the child has ended: nothing to stop
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now and stops the child itself
            }
        }
        return new Ending(exit, timedOut.get());
    }

    /** A guardian that stops the child if this JVM dies while it runs; null when none can run here. */
    private Guardian guard() {
        long pid = ChildTree.pid(child);
        if (pid < 0 || !Guardian.enabled()) {
            return null;
        }
        try {
            return Guardian.ofChild(pid);
        } catch (IOException e) {
            log.debug("jobserver: " + what + " runs without a guardian: " + e.getMessage());
            return null;
        }
    }

    /** Stops the child and gives the lease back when this JVM exits (Ctrl-C, System.exit) while it runs. */
    private Thread shutdownHook(Guardian guardian, SlotSource.Lease lease) {
        return new Thread(
                () -> {
                    stopQuietly();
                    closeQuietly(guardian);
                    lease.finish(what, log);
                },
                "jobserver-serve-shutdown");
    }

    /** Stops the child and its tree after {@code timeoutSeconds}, saying so first. */
    private ScheduledExecutorService watchdog(int timeoutSeconds) {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jobserver-serve-timeout");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(
                () -> {
                    timedOut.set(true);
                    ChildTree.stop(child, graceMillis);
                    return null;
                },
                timeoutSeconds,
                TimeUnit.SECONDS);
        return watchdog;
    }

    /**
     * Stops what a child killed by a signal left running: a make killed with SIGKILL could not stop its
     * recipes, and they would hold the child's output open (and run on) for as long as they like.
     */
    private void stopSurvivors(ChildTree.Watch watch, int exit) throws InterruptedException {
        List<Object> left = watch.survivors();
        log.debug("jobserver: " + what + " exited " + exit + "; of the processes seen under it, " + left.size()
                + " still run");
        if (!left.isEmpty()) {
            log.warn("jobserver: " + what + " was killed (exit " + exit + ") and left " + left.size()
                    + " processes running (" + ChildTree.describe(left) + "); stopping them");
            ChildTree.stopAll(left, graceMillis, true);
        }
    }

    /** Starts the thread that copies the child's output to the log. */
    private Thread forwardOutput() {
        Thread output = new Thread(this::forward, "jobserver-serve-output");
        output.setDaemon(true);
        output.start();
        return output;
    }

    /** Copies the child's output to the log, line by line as it comes. */
    private void forward() {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), Charset.defaultCharset()))) {
            for (String line; (line = out.readLine()) != null; ) {
                log.info(line);
            }
        } catch (IOException e) {
            if (!timedOut.get()) { // stopping the child closes its stream: nothing was lost then
                log.warn("jobserver: lost the output of " + what + ": " + e.getMessage());
            }
        }
    }

    private void stopQuietly() {
        try {
            ChildTree.stop(child, graceMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Guardian guardian) {
        if (guardian != null) {
            guardian.close();
        }
    }
}
