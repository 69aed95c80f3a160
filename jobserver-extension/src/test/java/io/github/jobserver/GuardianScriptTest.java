package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guardian's script ({@code guardian.sh}) on its own: every shell here parses it, and, started as
 * {@link Guardian} starts it with a ledger written to its standard input, it gives back exactly what is still
 * listed and stops exactly the children still running.
 */
@Timeout(120)
class GuardianScriptTest {

    @TempDir
    Path dir;

    @Test
    void everyShellHereParsesTheScript() throws Exception {
        Path script = Files.write(dir.resolve("guardian.sh"), Guardian.script().getBytes(StandardCharsets.US_ASCII));
        List<String> shells = new ArrayList<>();
        for (String shell : new String[] {"/bin/sh", "/bin/dash", "/usr/bin/dash", "/bin/bash", "/usr/bin/bash"}) {
            if (new File(shell).canExecute() && !shells.contains(new File(shell).getCanonicalPath())) {
                shells.add(new File(shell).getCanonicalPath());
            }
        }
        assertTrue(shells.size() > 0, "a shell to check with");
        for (String shell : shells) {
            // -n reads the script without running it: a syntax error is its exit status and a message
            Processes.Result r = Processes.run(new ProcessBuilder(shell, "-n", script.toString()));
            assertEquals(0, r.exit, shell + " -n " + Guardian.SCRIPT_RESOURCE + ": " + r);
        }
    }

    /** The guardian's own script, started as {@link Guardian} starts it, with the ledger on its stdin. */
    private Process guardianScript(String target) throws Exception {
        return new ProcessBuilder("/bin/sh", "-c", Guardian.script(), "jobserver-guardian", target, "4711")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
    }

    private static String endLedger(Process guardian, String ledger) throws Exception {
        guardian.getOutputStream().write(ledger.getBytes(StandardCharsets.US_ASCII));
        guardian.getOutputStream().close(); // as the kernel does when the JVM dies
        String said = Processes.readAll(guardian.getInputStream());
        assertTrue(guardian.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the guardian ends with its ledger");
        return said;
    }

    @Test
    void aGuardianHoldingNothingEndsAtOnceAndWritesNothing() throws Exception {
        try (JobserverServer server = JobserverServer.create(3, dir)) {
            Process guardian = guardianScript(server.fifo().toString());
            String said = endLedger(guardian, "+ 43\n+ 43\n- 43\n- 43\n");
            assertEquals(0, guardian.exitValue(), said);
            assertEquals("opened\n", said, "only that it holds the jobserver, which the first token waits for");
            assertEquals(2, server.available(), "nothing written");
        }
    }

    @Test
    void everyByteStillListedGoesBackAsItWasRead() throws Exception {
        try (JobserverServer server = JobserverServer.create(1, dir);
                java.io.FileInputStream in =
                        new java.io.FileInputStream(server.fifo().toFile())) {
            Process guardian = guardianScript(server.fifo().toString());
            // bytes a server other than make may use: NUL, 255, '+' twice (one struck off), 'x'
            String said = endLedger(guardian, "+ 0\n+ 255\n+ 43\n+ 43\n- 43\n+ 120\n");
            assertTrue(said.contains("gave back the 4 tokens it held when it ended"), said);
            byte[] back = new byte[in.available()];
            assertEquals(back.length, in.read(back));
            java.util.Arrays.sort(back);
            assertEquals("[-1, 0, 43, 120]", java.util.Arrays.toString(back), "the very bytes, each once");
        }
    }

    @Test
    void aChildOfADeadJvmIsStoppedWithItsTreeAndAnEndedOneIsNot() throws Exception {
        for (boolean ended : new boolean[] {false, true}) {
            Path pids = dir.resolve("pids-" + ended);
            // a child whose own child runs on when the child alone is stopped (a shell waiting for a sleep)
            Process child = new ProcessBuilder("sh", "-c", "sleep 600 & echo $$ $! > '" + pids + "'; wait").start();
            String[] tree = awaitLine(pids).split(" ");
            Process guardian = guardianScript("-");
            String said = endLedger(guardian, "k " + tree[0] + "\n" + (ended ? "u " + tree[0] + "\n" : ""));
            if (ended) {
                assertEquals("", said, "told the child ended: it stops nothing");
                assertTrue(child.isAlive());
                child.destroy();
                new ProcessBuilder("kill", tree[1]).start().waitFor();
            } else {
                assertTrue(said.contains("its child " + tree[0] + " ran; the guardian stopped it"), said);
                assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the child was stopped");
                assertTrue(endsWithin(tree[1]), "its sleep was stopped too");
            }
        }
    }

    /** Whether process {@code pid} ends (or is a zombie: ended, not yet reaped) within 30 s. */
    private static boolean endsWithin(String pid) throws Exception {
        Path stat = java.nio.file.Paths.get("/proc/" + pid + "/stat");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                String line = new String(Files.readAllBytes(stat), StandardCharsets.UTF_8);
                if (line.substring(line.lastIndexOf(')') + 1).trim().startsWith("Z")) {
                    return true;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                return true;
            }
            Thread.sleep(20); // polls the process's state, bounded by the deadline
        }
        return false;
    }

    /** The first line of {@code file} once a writer has put one there (bounded). */
    private static String awaitLine(Path file) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                if (text.endsWith("\n")) {
                    return text.trim();
                }
            }
            Thread.sleep(20); // polls for the child's pid file, bounded by the deadline
        }
        throw new AssertionError("no line in " + file);
    }
}
