package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the server's FIFO lives and who can reach it: a fresh private directory under TMPDIR, removed
 * on every exit but SIGKILL, a stale one harmless; a FIFO of another user refused by the client; and
 * another user (nobody, through setpriv, when the tests run as root) can neither take nor inject tokens.
 */
@Timeout(120)
class SecurityTest {
    private static final String NOBODY = "65534";

    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean isFifo(Path p) throws IOException {
        return FileKind.isFifo((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
    }

    private List<Path> serverDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("jobserver-"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void theFifoLivesInAFreshPrivateDirectoryUnderTmpdir() throws Exception {
        assertEquals(tmp, JobserverServer.temporaryDirectory(Collections.singletonMap("TMPDIR", tmp.toString())));
        assertEquals(
                Paths.get(System.getProperty("java.io.tmpdir")),
                JobserverServer.temporaryDirectory(Collections.singletonMap("TMPDIR", "relative/dir")));
        try (JobserverServer a = JobserverServer.create(3, tmp);
                JobserverServer b = JobserverServer.create(3, tmp)) {
            for (JobserverServer s : new JobserverServer[] {a, b}) {
                Path dir = s.fifo().getParent();
                assertEquals(tmp, dir.getParent());
                assertEquals("rwx------", mode(dir));
                assertEquals("rw-------", mode(s.fifo()));
                assertTrue(isFifo(s.fifo()));
            }
            assertNotEquals(a.fifo().getParent(), b.fifo().getParent(), "every server gets a directory of its own");
        }
        assertEquals(Collections.emptyList(), serverDirectories(), "close() removes the FIFO and its directory");
    }

    /** Where {@link #serveInChild()} writes the child's output (beside the TMPDIR it is given). */
    private Path serveLog() {
        return tmp.resolveSibling(tmp.getFileName() + ".serve.log");
    }

    /** The tool's serve in a child JVM under our TMPDIR, running a command that waits until it is stopped. */
    private Process serveInChild() throws Exception {
        ProcessBuilder b = Processes.tool("serve", "--fifo", "3", "sleep", "600")
                .redirectErrorStream(true)
                .redirectOutput(serveLog().toFile());
        Processes.clearMakeflags(b);
        b.environment().put("TMPDIR", tmp.toString());
        Process server = b.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        // polls for the FIFO the child creates, bounded by the deadline
        Path log = serveLog();
        while (serverDirectories().stream().noneMatch(d -> Files.exists(d.resolve("fifo"), LinkOption.NOFOLLOW_LINKS))
                || !Files.exists(log)
                || !new String(Files.readAllBytes(log), "UTF-8").contains("serving")) {
            assertTrue(server.isAlive() && System.nanoTime() < deadline, "the server never made its FIFO");
            Thread.sleep(20);
        }
        return server;
    }

    /** Signals the server JVM (its pid from its first line), then kills what it started. */
    private void stop(Process server, String signal) throws Exception {
        String first = Files.readAllLines(serveLog()).get(0);
        String pid = first.substring(first.indexOf('[') + 1, first.indexOf(']'));
        String children =
                Processes.run(new ProcessBuilder("pgrep", "-P", pid)).output.trim();
        assertEquals(0, Processes.run(new ProcessBuilder("kill", "-" + signal, pid)).exit);
        server.waitFor();
        for (String child : children.split("\\s+")) {
            Processes.run(new ProcessBuilder("kill", "-KILL", child)); // the sleep: no process is left behind
        }
    }

    @Test
    void sigtermRemovesTheFifoAndItsDirectory() throws Exception {
        Process server = serveInChild();
        assertEquals(1, serverDirectories().size());
        stop(server, "TERM");
        assertEquals(143, server.exitValue()); // the JVM's answer to SIGTERM: 128 + 15
        assertEquals(Collections.emptyList(), serverDirectories());
    }

    @Test
    void aStaleFifoLeftBySigkillIsNotReusedButRemovedByTheNextServer() throws Exception {
        Process killed = serveInChild();
        stop(killed, "KILL");
        assertEquals(137, killed.exitValue()); // 128 + 9: no shutdown hook ran
        List<Path> stale = serverDirectories();
        assertEquals(1, stale.size(), "SIGKILL leaves its directory behind");
        Path staleFifo = stale.get(0).resolve("fifo");
        assertTrue(isFifo(staleFifo));
        try (JobserverServer next = JobserverServer.create(3, tmp)) {
            assertNotEquals(stale.get(0), next.fifo().getParent());
            assertEquals(2, next.available());
            Lookup lookup = Jobserver.connect(next.auth());
            try (Jobserver js = lookup.jobserver().get();
                    Slot implicit = js.acquire();
                    Slot token = js.acquire()) {
                assertEquals(1, next.available());
            }
            assertEquals(2, next.available());
        }
        assertEquals(
                Collections.emptyList(), serverDirectories(), "the next server removed the stale one (StaleFifos)");
        assertFalse(Files.exists(staleFifo, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Paths.get("/usr/bin/setpriv"));
    }

    /** Runs a shell command as nobody; its exit status. */
    private static Processes.Result asNobody(String script, Path fifo) throws Exception {
        return Processes.run(new ProcessBuilder(
                "/usr/bin/setpriv",
                "--reuid=" + NOBODY,
                "--regid=" + NOBODY,
                "--clear-groups",
                "--",
                "timeout",
                "10",
                "sh",
                "-c",
                script,
                "sh",
                fifo.toString()));
    }

    @Test
    void anotherUserCanNeitherTakeNorInjectTokens() throws Exception {
        assumeTrue(root(), "needs root and setpriv to act as another user");
        try (JobserverServer server = JobserverServer.create(3, tmp)) {
            Path fifo = server.fifo();
            Processes.Result take = asNobody("head -c 1 < \"$1\"", fifo);
            Processes.Result inject = asNobody("printf x > \"$1\"", fifo);
            assertTrue(take.exit != 0 && take.output.contains("Permission denied"), take.toString());
            assertTrue(inject.exit != 0 && inject.output.contains("Permission denied"), inject.toString());
            assertEquals(2, server.available());
            // The FIFO's own mode is the second wall: with the directory opened to everyone, still no way in.
            Files.setPosixFilePermissions(fifo.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
            take = asNobody("head -c 1 < \"$1\"", fifo);
            inject = asNobody("printf x > \"$1\"", fifo);
            assertTrue(take.exit != 0 && take.output.contains("Permission denied"), take.toString());
            assertTrue(inject.exit != 0 && inject.output.contains("Permission denied"), inject.toString());
            assertEquals(2, server.available());
            assertTrue(server.closeAndCount().whole());
        }
    }

    @Test
    void theClientRefusesAFifoOwnedByAnotherUser() throws Exception {
        assumeTrue(root(), "needs root to give a FIFO to another user");
        Path fifo = Fifos.make(tmp.resolve("theirs"));
        Processes.Result chown = Processes.run(new ProcessBuilder("chown", NOBODY, fifo.toString()));
        assertEquals(0, chown.exit, chown.toString());
        Lookup lookup = Jobserver.connect(JobserverAuth.fifo(fifo));
        assertFalse(lookup.jobserver().isPresent());
        NoJobserver why = lookup.absence();
        assertEquals(NoJobserver.Reason.NOT_OWNER, why.reason(), why.toString());
        assertTrue(why.detail().contains("belongs to uid " + NOBODY), why.detail());
    }

    /**
     * A system jobserver's FIFO (root's, or another user's, shared through its group or with everyone) is
     * used when its bits let this user read and write it, and every token goes back to it.
     */
    @Test
    void aFifoOfAnotherUserOpenToThisUserIsUsedAndEveryTokenGoesBack() throws Exception {
        assumeTrue(root(), "needs root to give a FIFO to another user");
        Path fifo = Fifos.make(tmp.resolve("shared"));
        Processes.Result chown = Processes.run(new ProcessBuilder("chown", NOBODY + ":0", fifo.toString()));
        assertEquals(0, chown.exit, chown.toString());
        try (FileChannel pool = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            pool.write(ByteBuffer.wrap("++".getBytes(StandardCharsets.US_ASCII)));
            for (String mode : new String[] {"rw-rw-rw-", "rw-rw----"}) { // by everyone's bits, by the group's
                Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString(mode));
                Lookup lookup = Jobserver.connect(JobserverAuth.fifo(fifo));
                assertTrue(lookup.jobserver().isPresent(), mode + ": " + lookup);
                try (Jobserver js = lookup.jobserver().get()) {
                    List<Slot> slots = new ArrayList<>();
                    for (Optional<Slot> slot; (slot = js.tryAcquire()).isPresent(); ) {
                        slots.add(slot.get());
                    }
                    assertEquals(3, slots.size(), mode + ": the implicit slot and both tokens");
                    slots.forEach(Slot::close);
                }
            }
            Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString("rw-r-----"));
            NoJobserver why = Jobserver.connect(JobserverAuth.fifo(fifo)).absence();
            assertEquals(NoJobserver.Reason.NOT_OWNER, why.reason(), "group read alone: " + why);
            try (FileInputStream probe = new FileInputStream(fifo.toFile())) { // the pool keeps a writer: no wait
                assertEquals(2, probe.available(), "both tokens are back in the FIFO");
            }
        }
    }
}
