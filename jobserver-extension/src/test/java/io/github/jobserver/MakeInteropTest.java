package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The library against the real GNU make on this machine, in both roles. */
@Timeout(120)
class MakeInteropTest {

    /** make's own exit check: its presence in make's output means a token was lost. */
    static final String MAKE_LOST_TOKENS = "INTERNAL: Exiting with";

    @TempDir
    Path dir;

    private void makefile(String... lines) throws Exception {
        Files.write(
                dir.resolve("Makefile"), String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void makeAsServerPlusRuleClaimsExactlyTheFreeTokens() throws Exception {
        makefile("all:", "\t+" + Processes.toolCommand("claim", "0"));
        Processes.Result r = Processes.make(dir, "-j4");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.output.contains("claimed 3 tokens from make -j4 (pipe 3,4), running 4 jobs"), r.toString());
        assertTrue(r.output.contains("gave back 3 tokens"), r.toString());
        assertFalse(r.output.contains(MAKE_LOST_TOKENS), r.toString());
    }

    @Test
    void makeAsServerSharesItsTokensWithOtherRecipes() throws Exception {
        // one recipe holds a make slot until the client has claimed: the client gets what is left. The two
        // recipes hand over through files (bounded waits), not through timing.
        makefile(
                "all: hold claim",
                "hold:",
                "\t@touch held; n=0; until [ -e claimed ] || [ $$n -gt 600 ]; do n=$$((n+1)); sleep 0.05; done",
                "claim:",
                "\t+@n=0; until [ -e held ] || [ $$n -gt 600 ]; do n=$$((n+1)); sleep 0.05; done; "
                        + Processes.toolCommand("claim", "0") + "; s=$$?; touch claimed; exit $$s");
        Processes.Result r = Processes.make(dir, "-j5");
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.output.contains("claimed 3 tokens from make -j5"), r.toString());
        assertFalse(r.output.contains(MAKE_LOST_TOKENS), r.toString());
    }

    @Test
    void ruleWithoutPlusIsRefusedAndItsFdsAreNotTouched() throws Exception {
        makefile("all:", "\t" + Processes.toolCommand("claim", "0"));
        Processes.Result r = Processes.make(dir, "-j4");
        assertEquals(0, r.exit, r.toString());
        assertTrue(
                r.output.contains("jobserver unavailable: using -j1. Add '+' to the parent make rule."), r.toString());
        assertFalse(r.output.contains("claimed"), r.toString());
        assertFalse(r.output.contains(MAKE_LOST_TOKENS), r.toString());
    }

    @Test
    void dryRunTakesNoTokens() throws Exception {
        makefile("all:", "\t+" + Processes.toolCommand("claim", "0"));
        Processes.Result r = Processes.make(dir, "-n", "-j4");
        assertTrue(r.output.contains("dry run (make -n): no tokens taken"), r.toString());
    }

    @Test
    void makeAsClientOfOurServerRunsThreeAtATime() throws Exception {
        Processes.timedRecipes(dir, 8, "1");
        ProcessBuilder b =
                Processes.tool("serve", "3", "make", "-f", "recipes.mk").directory(dir.toFile());
        Processes.clearMakeflags(b);
        Processes.Result r = Processes.run(b);
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.output.contains("jobserver: all 2 tokens returned; command exited 0"), r.toString());
        assertEquals(8, Processes.count(dir.resolve("log"), "end "));
        assertEquals(3, Processes.peak(dir.resolve("log")), "never more than J=3 at once, and 3 used");
        System.out.println("make -j via our server: 8 x 1 s recipes under J=3 took " + r.millis + " ms");
    }

    @Test
    void inheritedPipeIsBridgedToAChildMake() throws Exception {
        Processes.timedRecipes(dir, 6, "0.2");
        try (RealPipe pipe = RealPipe.open();
                Jobserver js = JobserverTest.connect(pipe.auth())) {
            pipe.put("xy");
            ProcessBuilder b = new ProcessBuilder("make", "-f", "recipes.mk").directory(dir.toFile());
            ClientLauncher.prepare(
                    b,
                    js.auth(),
                    JobserverAuth.Style.PIPE,
                    " -j3 --jobserver-auth=" + pipe.readFd + "," + pipe.writeFd,
                    3);
            Processes.Result r = Processes.run(b);
            assertEquals(0, r.exit, r.toString());
            assertEquals(3, Processes.peak(dir.resolve("log")), "2 tokens + the child's implicit slot");
            assertFalse(r.output.contains(MAKE_LOST_TOKENS), r.toString());
            // make 4.3 writes '+' back whatever byte it read (measured here); the count is what must hold
            assertEquals(2, pipe.drainSorted().length(), "every token came back");
        }
    }

    @Test
    void fifoStyleChildFindsTheServer() throws Exception {
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            ProcessBuilder b = Processes.tool("claim", "0");
            ClientLauncher.prepare(b, server.auth(), JobserverAuth.Style.FIFO, null, 4);
            assertEquals(
                    " -j4 --jobserver-auth=fifo:" + server.fifo(),
                    b.environment().get("MAKEFLAGS"));
            Processes.Result r = Processes.run(b);
            assertTrue(r.output.contains("claimed 3 tokens from make -j4 (fifo " + server.fifo() + ")"), r.toString());
            JobserverServer.Report report = server.closeAndCount();
            assertTrue(report.whole(), report.toString());
        }
    }
}
