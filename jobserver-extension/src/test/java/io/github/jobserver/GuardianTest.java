package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jobserver.backend.jnr.JnrBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed with SIGKILL while it holds tokens: its {@link Guardian} gives them back. Each case runs the
 * command-line tool's {@code claim} in a child JVM and kills it once it says it holds its tokens; the
 * pipeline's output ends only when the JVM and its guardian have both ended, so the count that follows is
 * final.
 */
@Timeout(120)
class GuardianTest {

    @TempDir
    Path dir;

    /** The jnr back end acting as on a system without /proc. */
    private static final String NO_PROC = " -D" + Backends.PROPERTY + "=jnr -D" + JnrBackend.PROC_PROPERTY + "=false";

    /**
     * A shell line (for make: {@code $} doubled) that runs the tool's claim, SIGKILLs the JVM (or sends
     * {@code signal}) once it holds its tokens, and ends when everything it started has ended.
     */
    private String claimThenSignal(String signal, String before, String options) {
        String tool = Processes.java() + Processes.backendOption() + options + " -cp " + Processes.classes() + " "
                + Processes.TOOL + " claim 600000";
        return "sh -c 'echo $$ > jvm.pid; exec " + tool + "' 2>&1 | while read -r line; do echo \"$line\"; "
                + "case \"$line\" in *claimed*) " + before + "kill -" + signal + " $(cat jvm.pid) ;; esac; done";
    }

    private Processes.Result underMake(String line) throws Exception {
        Files.write(
                dir.resolve("Makefile"),
                ("all:\n\t+@" + line.replace("$", "$$") + "\n").getBytes(StandardCharsets.UTF_8));
        return Processes.make(dir, "-j4");
    }

    @Test
    void makesPipeGetsBackEveryTokenOfAKilledJvm() throws Exception {
        Processes.Result r = underMake(claimThenSignal("KILL", "", ""));
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.output.contains("claimed 3 tokens from make -j4 (pipe 3,4)"), r.toString());
        assertTrue(r.output.contains("gave back the 3 tokens it held when it ended"), r.toString());
        assertFalse(r.output.contains(MakeInteropTest.MAKE_LOST_TOKENS), r.toString());
    }

    @Test
    void aPipeNoPathReachesIsHandedToTheGuardianAsADescriptor() throws Exception {
        // as on a system without /proc (the jnr back end told not to use it): no path reaches make's pipe
        // from another process, so the back end starts the guardian with the pipe as its descriptor 3
        Processes.Result r = underMake(claimThenSignal("KILL", "", NO_PROC));
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.output.contains("claimed 3 tokens from make -j4 (pipe 3,4)"), r.toString());
        assertTrue(r.output.contains("gave back the 3 tokens it held when it ended"), r.toString());
        assertFalse(r.output.contains(MakeInteropTest.MAKE_LOST_TOKENS), r.toString());
        // SIGTERM: the JVM gives back its own; the guardian, struck off first, invents none
        r = underMake(claimThenSignal("TERM", "", NO_PROC));
        assertTrue(r.output.contains("claimed 3 tokens"), r.toString());
        assertFalse(r.output.contains("gave back the"), r.toString());
        assertFalse(r.output.contains(MakeInteropTest.MAKE_LOST_TOKENS), r.toString());
    }

    @Test
    void withoutTheGuardianMakeCountsTheLoss() throws Exception {
        // the control: the same kill with the guardian turned off loses what the JVM held
        Processes.Result r = underMake(claimThenSignal("KILL", "", " -D" + Guardian.PROPERTY + "=false"));
        assertTrue(r.output.contains("claimed 3 tokens"), r.toString());
        assertFalse(r.output.contains("gave back the"), r.toString());
        assertTrue(
                r.output.contains(MakeInteropTest.MAKE_LOST_TOKENS + " 1 jobserver tokens available; should be 4!"),
                r.toString());
    }

    @Test
    void aJvmThatGaveEverythingBackLeavesItsGuardianNothingToDo() throws Exception {
        // SIGTERM: the tool's own hook gives the tokens back; the guardian, struck off first, writes none
        Processes.Result r = underMake(claimThenSignal("TERM", "", ""));
        assertTrue(r.output.contains("claimed 3 tokens"), r.toString());
        assertFalse(r.output.contains("gave back the"), r.toString());
        assertFalse(r.output.contains(MakeInteropTest.MAKE_LOST_TOKENS), r.toString());
    }

    private Processes.Result underServer(JobserverServer server, String line) throws Exception {
        ProcessBuilder b = new ProcessBuilder("sh", "-c", line).directory(dir.toFile());
        Processes.clearMakeflags(b);
        ClientLauncher.prepare(b, server.auth(), JobserverAuth.Style.FIFO, null, server.jobs());
        return Processes.run(b);
    }

    @Test
    void aFifoGetsBackEveryTokenOfAKilledJvmNeitherMoreNorLess() throws Exception {
        try (JobserverServer server = JobserverServer.create(5, dir)) {
            Processes.Result r = underServer(server, claimThenSignal("KILL", "", ""));
            assertTrue(r.output.contains("claimed 4 tokens"), r.toString());
            assertTrue(r.output.contains("gave back the 4 tokens"), r.toString());
            assertEquals(4, server.available(), "every token back, none invented");
        }
    }

    @Test
    void aSigkillOfTheJvmsWholeProcessGroupMissesItsGuardian() throws Exception {
        // a CI runner or a supervisor stops a job with kill -KILL -PGID: the JVM leads a group of its own here
        // (setsid), the server outside it counts; the guardian, in a session of its own, survives the kill
        assumeTrue(Guardian.SETSID != null, "no setsid here");
        String tool = Processes.java() + Processes.backendOption() + " -cp " + Processes.classes() + " "
                + Processes.TOOL + " claim 600000";
        String line = Guardian.SETSID + " sh -c 'echo $$ > jvm.pid; exec " + tool + "' 2>&1 | while read -r line; do"
                + " echo \"$line\"; case \"$line\" in *claimed*) kill -KILL -$(cat jvm.pid) ;; esac; done";
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            Processes.Result r = underServer(server, line);
            assertTrue(r.output.contains("claimed 3 tokens"), r.toString());
            assertTrue(r.output.contains("gave back the 3 tokens"), r.toString());
            assertEquals(3, server.available(), "every token back, none invented");
        }
    }

    @Test
    void aFifoRemovedWhileTokensAreHeldStillGetsThemBack() throws Exception {
        // a /tmp cleaner removes the FIFO's path: the JVM (SIGTERM: its own hook) and the guardian
        // (SIGKILL) both write back through descriptors they hold, not through the path
        // (and without /proc, the jnr back end: dups of its first descriptor, which the guardian is handed)
        for (String options : new String[] {"", NO_PROC}) {
            for (String signal : new String[] {"TERM", "KILL"}) {
                Path at = Files.createDirectories(dir.resolve(signal + (options.isEmpty() ? "" : "-noproc")));
                try (JobserverServer server = JobserverServer.create(4, at)) {
                    Path fifo = server.fifo();
                    Processes.Result r =
                            underServer(server, claimThenSignal(signal, "rm -f '" + fifo + "'; ", options));
                    assertTrue(r.output.contains("claimed 3 tokens"), r.toString());
                    assertFalse(Files.exists(fifo), "the path was removed");
                    assertEquals(3, server.available(), signal + options + ": every token back:\n" + r);
                }
            }
        }
    }
}
