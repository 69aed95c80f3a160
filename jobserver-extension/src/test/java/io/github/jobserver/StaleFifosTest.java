package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the next server removes of what SIGKILL left in {@code $TMPDIR} (a server's directory and its empty FIFO;
 * the kill itself: {@code SecurityTest}): a dead process's, and nothing else: not a live process's, not another
 * pid namespace's, not one that holds more than its FIFO, not a link.
 */
@Timeout(60)
class StaleFifosTest {
    @TempDir
    Path dir;

    private String ns;

    @BeforeEach
    void linux() {
        ns = StaleFifos.pidNamespace();
        assertNotNull(ns, "/proc/self/ns/pid names this JVM's pid namespace on Linux");
    }

    @Test
    void onlyADeadProcessesDirectoryOfThisNamespaceHoldingOnlyItsFifoIsRemoved() throws Exception {
        String dead = deadPid();
        String self = ProcessHandleCompat.requirePid();
        Path stale = fifoIn("jobserver-" + dead + "." + ns + "-1");
        Path alive = fifoIn("jobserver-" + self + "." + ns + "-2");
        Path otherNamespace = fifoIn("jobserver-" + dead + ".1" + ns + "-3");
        Path oldName = fifoIn("jobserver-4");
        Path more = fifoIn("jobserver-" + dead + "." + ns + "-5");
        Files.createFile(more.resolve("other"));
        Path target = fifoIn("target");
        Path link = Files.createSymbolicLink(dir.resolve("jobserver-" + dead + "." + ns + "-6"), target);

        try (JobserverServer next = JobserverServer.create(2, dir)) {
            String name = next.fifo().getParent().getFileName().toString();
            assertTrue(name.startsWith("jobserver-" + self + "." + ns + "-"), name);
        }
        assertFalse(Files.exists(stale, LinkOption.NOFOLLOW_LINKS), "the dead process's");
        for (Path kept : new Path[] {alive, otherNamespace, oldName, more, target}) {
            assertTrue(Files.exists(kept.resolve("fifo"), LinkOption.NOFOLLOW_LINKS), kept.toString());
        }
        assertTrue(Files.isSymbolicLink(link), "a link is never followed or removed");
    }

    /** The pid of a process that has ended (and was reaped). */
    private static String deadPid() throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "echo $$").start();
        String pid = Processes.readAll(sh.getInputStream()).trim();
        sh.waitFor();
        assertFalse(Files.exists(java.nio.file.Paths.get("/proc", pid)), pid);
        return pid;
    }

    private Path fifoIn(String name) throws Exception {
        Path d = Files.createDirectory(dir.resolve(name));
        assertEquals(
                0,
                new ProcessBuilder("mkfifo", d.resolve("fifo").toString())
                        .start()
                        .waitFor());
        return d;
    }
}
