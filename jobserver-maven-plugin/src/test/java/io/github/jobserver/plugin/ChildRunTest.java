package io.github.jobserver.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The life of serve's child: its output, its ending, the timeout, its survivors, an interruption. */
@Timeout(60)
class ChildRunTest {
    private static final long GRACE_MILLIS = 500;

    private final RecordingLog log = new RecordingLog();
    private SlotSource.Lease lease;

    @BeforeEach
    void lease() throws Exception {
        // no jobserver in this map: the lease is of a new server of this JVM, as serve's without make
        lease = SlotSource.lease(Collections.<String, String>emptyMap(), 2, "", false, log);
    }

    @AfterEach
    void everyTokenIsBack() {
        lease.finish("the test's child", log);
        List<String> lines = log.lines();
        assertEquals("[INFO] jobserver: all 1 tokens returned", lines.get(lines.size() - 1), lines.toString());
    }

    @Test
    void theOutputGoesToTheLogAndTheExitStatusComesBack() throws Exception {
        ChildRun.Ending ending = run("echo one; echo two; exit 3", 0);
        assertEquals(3, ending.exit);
        assertFalse(ending.timedOut);
        assertEquals("[INFO] one", log.lines().get(0));
        assertEquals("[INFO] two", log.lines().get(1));
    }

    @Test
    void theTimeoutStopsTheChildAndWhatItStarted() throws Exception {
        ChildRun.Ending ending = run("sleep 600 & echo $!; wait", 1);
        assertTrue(ending.timedOut);
        String job = log.lines().get(0).substring("[INFO] ".length());
        assertEnds(job, "the child's job " + job + " was stopped with it");
        assertFalse(log.text().contains("lost the output"), "stopping the child loses nothing: " + log.lines());
    }

    @Test
    void whatAKilledChildLeftRunningIsStopped() throws Exception {
        AtomicReference<ChildRun.Ending> ended = new AtomicReference<>();
        Thread waiting = inThread("sleep 600 & echo $$ $!; wait", ended, new AtomicReference<Throwable>());
        // killed once the run has begun to watch it: its output line is forwarded after that
        String[] pids = log.awaitFirstLine().substring("[INFO] ".length()).split(" ");
        new ProcessBuilder("kill", "-KILL", pids[0]).start().waitFor();
        waiting.join();
        assertEquals(137, ended.get().exit);
        assertFalse(ended.get().timedOut);
        assertTrue(
                log.text()
                        .contains("[WARNING] jobserver: [test] was killed (exit 137) and left 1 processes running ("
                                + pids[1] + " sleep); stopping them"),
                log.lines().toString());
        assertEnds(pids[1], "the job " + pids[1] + " was stopped");
    }

    /** A child that ignores SIGTERM is killed once the grace is over, not left running by the interruption. */
    @Test
    void anInterruptionStopsTheChildBeforeItIsPassedOn() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiting = inThread(
                "trap '' TERM; echo $$; while :; do sleep 1; done", new AtomicReference<ChildRun.Ending>(), thrown);
        String shell = log.awaitFirstLine().substring("[INFO] ".length());
        waiting.interrupt();
        waiting.join();
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertFalse(running(shell), "the child " + shell + " was killed after the grace");
    }

    /** Runs {@code script} in a thread of its own, which sets {@code ended} or {@code thrown}. */
    private Thread inThread(String script, AtomicReference<ChildRun.Ending> ended, AtomicReference<Throwable> thrown) {
        Thread waiting = new Thread(() -> {
            try {
                ended.set(run(script, 0));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        waiting.start();
        return waiting;
    }

    private ChildRun.Ending run(String script, int timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        return ChildRun.run(builder, "[test]", timeoutSeconds, GRACE_MILLIS, lease, log);
    }

    /**
     * Waits up to 5 s for a process that is not this JVM's child to end: it has been signalled when the run
     * returns, but its exit is its kernel's business, and nothing tells another process of it (Java's
     * {@code ProcessHandle.onExit} looks in the same way).
     */
    private static void assertEnds(String pid, String message) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (running(pid) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(running(pid), message);
    }

    /** Whether the process runs: a zombie no reaper collected (in a container, say) does not. */
    private static boolean running(String pid) throws Exception {
        try {
            String stat = new String(Files.readAllBytes(Paths.get("/proc/" + pid + "/stat")), "US-ASCII");
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }
}
