package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What SIGKILL leaves in {@code $TMPDIR} (a server's directory and its empty FIFO), and the next server of the
 * same user removing it, and nothing else: not a live process's, not another pid namespace's, not one that
 * holds more than its FIFO, not a link.
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
    void aServerOfAKilledJvmIsRemovedByTheNextOne() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        ProcessBuilder tool =
                Processes.tool("serve", "--fifo", "2", "sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60");
        tool.environment().put("TMPDIR", dir.toString());
        tool.redirectErrorStream(true);
        Process jvm = tool.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null && !line.contains("serving 2 slots"); ) {
            // until the server is made
        }
        jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
        jvm.waitFor();
        new ProcessBuilder("sh", "-c", "kill $(cat " + pidFile + ")").start().waitFor(); // the orphaned child
        Set<String> left = servers();
        assertEquals(1, left.size(), "SIGKILL leaves the directory: " + left);
        assertTrue(Files.exists(dir.resolve(left.iterator().next()).resolve("fifo"), LinkOption.NOFOLLOW_LINKS));

        try (JobserverServer next = JobserverServer.create(2, dir)) {
            Set<String> now = servers();
            assertEquals(1, now.size(), now.toString());
            assertEquals(
                    next.fifo().getParent().getFileName().toString(),
                    now.iterator().next(),
                    "only the new one");
        }
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

    private Set<String> servers() throws IOException {
        Set<String> found = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith("jobserver-")) {
                    found.add(entry.getFileName().toString());
                }
            }
        }
        return found;
    }
}
