package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A relay between a real parent jobserver and a real child (make, or a shell that misbehaves on purpose). */
@Timeout(60)
class RelayTest {

    @TempDir
    Path tmp;

    private Processes.Result runUnder(Relay relay, int jobs, String... command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).directory(tmp.toFile());
        Processes.clearMakeflags(b);
        ClientLauncher.prepare(b, relay.auth(), JobserverAuth.Style.PIPE, null, jobs);
        return Processes.run(b);
    }

    @Test
    void aMakeChildRunsAtTheParentsLimitAndEveryTokenGoesBack() throws Exception {
        Processes.timedRecipes(tmp, 8, "0.3");
        try (JobserverServer parent = JobserverServer.create(3, tmp);
                Jobserver client = Jobserver.connect(parent.auth()).jobserver().get()) {
            Slot childsOwn = client.acquire(); // the slot the child runs on, as serve takes it
            Relay relay = Relay.start(client, tmp);
            Path fifo = relay.auth().fifoPath();
            Processes.Result make = runUnder(relay, 3, "make", "-s", "-f", "recipes.mk");
            Relay.Outcome outcome = relay.finish();
            childsOwn.close();

            assertEquals(0, make.exit, make.toString());
            assertEquals(8, Processes.count(tmp.resolve("log"), "end "));
            assertEquals(3, Processes.peak(tmp.resolve("log")), "the child's slot plus the parent's 2 tokens");
            assertTrue(outcome.whole(), outcome.toString() + " " + outcome.problems());
            assertEquals(2, outcome.mostBorrowed());
            assertEquals(2, parent.available(), "the parent's pool is whole again");
            assertFalse(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS), "the relay's FIFO is removed");
            assertEquals(relay.finish(), outcome, "a second finish changes nothing");
        }
    }

    /** What a shell child did on a relay over a parent of 4 slots, and what the parent held afterwards. */
    private static final class Run {
        final Relay.Outcome outcome;
        final int parentAvailable;

        Run(Relay.Outcome outcome, int parentAvailable) {
            this.outcome = outcome;
            this.parentAvailable = parentAvailable;
        }
    }

    private Run shellOnRelay(String script) throws Exception {
        try (JobserverServer parent = JobserverServer.create(4, tmp);
                Jobserver client = Jobserver.connect(parent.auth()).jobserver().get()) {
            Slot childsOwn = client.acquire();
            Relay relay = Relay.start(client, tmp);
            Processes.Result child = runUnder(relay, 4, "sh", "-c", script);
            Relay.Outcome outcome = relay.finish();
            childsOwn.close();
            assertEquals(0, child.exit, child.toString());
            return new Run(outcome, parent.available());
        }
    }

    @Test
    void tokensTheTreeKeepsAreCountedAndMadeGoodToTheParent() throws Exception {
        // takes two tokens and exits without writing them back, as a killed grandchild would
        Run run = shellOnRelay("dd bs=1 count=2 <&3 >/dev/null 2>&1");
        Relay.Outcome outcome = run.outcome;
        assertEquals(2, outcome.missing(), outcome.toString());
        assertEquals(outcome.lent() - 2, outcome.back());
        assertEquals(
                "exiting with " + outcome.back() + " jobserver tokens available; should be " + outcome.lent() + "!",
                outcome.toString());
        assertFalse(outcome.whole());
        assertEquals(3, run.parentAvailable, "the parent sees a whole pool");
    }

    @Test
    void bytesTheChildInventsAreDroppedNotPassedUp() throws Exception {
        Run run = shellOnRelay("printf xyz >&3");
        assertEquals(3, run.outcome.invented(), run.outcome.toString());
        assertEquals(0, run.outcome.missing());
        assertEquals(3, run.parentAvailable, "3 tokens, not 6: nothing invented reaches the parent");
    }

    @Test
    void tokensGivenBackAsOtherBytesReachTheParentAsItsOwn() throws Exception {
        // takes two tokens and writes back two other bytes: slots returned, in the wrong currency
        Run run = shellOnRelay("dd bs=1 count=2 <&3 >/dev/null 2>&1; printf xy >&3");
        assertTrue(run.outcome.whole(), run.outcome.toString() + " " + run.outcome.problems());
        assertEquals(0, run.outcome.invented());
        assertEquals(3, run.parentAvailable, "every slot back once: neither lost nor doubled");
    }

    @Test
    void aChildThatClosesTheJobserverAndGoesOnLosesNothing() throws Exception {
        // closes its descriptor, then runs a make that finds no jobserver (make warns and runs serially)
        Processes.timedRecipes(tmp, 2, "0.1");
        Run run = shellOnRelay("exec 3>&-; make -s -f recipes.mk 2>/dev/null");
        assertTrue(run.outcome.whole(), run.outcome.toString() + " " + run.outcome.problems());
        assertEquals(0, run.outcome.missing(), "the token waiting in the relay's FIFO went back unread");
        assertEquals(2, Processes.count(tmp.resolve("log"), "end "));
        assertEquals(3, run.parentAvailable);
    }

    @Test
    void aTokenFreeInTheParentIsLentBeforeTheChildStarts() throws Exception {
        // one non-blocking read the moment the child starts: the relay has already put the parent's free
        // token there (the pump's first look would race the child)
        try (JobserverServer parent = JobserverServer.create(4, tmp);
                Jobserver client = Jobserver.connect(parent.auth()).jobserver().get()) {
            Slot childsOwn = client.acquire();
            Relay relay = Relay.start(client, tmp);
            Processes.Result child = runUnder(
                    relay,
                    4,
                    "sh",
                    "-c",
                    "dd bs=4096 count=1 iflag=nonblock <&3 >taken 2>/dev/null; wc -c <taken; cat taken >&3");
            Relay.Outcome outcome = relay.finish();
            childsOwn.close();
            assertEquals(0, child.exit, child.toString());
            assertEquals("1", child.output.trim(), "one token lent, one in the pool at the child's first read");
            assertTrue(outcome.whole(), outcome.toString() + " " + outcome.problems());
            assertEquals(3, parent.available());
        }
    }

    @Test
    void theFirstTokenIsLentBeforeStartReturns() throws Exception {
        try (JobserverServer parent = JobserverServer.create(4, tmp);
                Jobserver client = Jobserver.connect(parent.auth()).jobserver().get()) {
            Slot childsOwn = client.acquire();
            // finished at once: the pump may not have looked yet, the token lent by start() is there
            Relay.Outcome outcome = Relay.start(client, tmp).finish();
            childsOwn.close();
            assertEquals(1, outcome.lent(), outcome.toString());
            assertEquals(1, outcome.back(), outcome.toString());
            assertEquals(3, parent.available());
        }
    }

    @Test
    void aRelayOverAnExhaustedParentStartsWithoutWaiting() throws Exception {
        try (JobserverServer parent = JobserverServer.create(1, tmp);
                Jobserver client = Jobserver.connect(parent.auth()).jobserver().get()) {
            Slot childsOwn = client.acquire(); // the implicit slot: the parent has no token free
            Relay relay = Relay.start(client, tmp);
            Relay.Outcome outcome = relay.finish();
            childsOwn.close();
            assertEquals(0, outcome.lent(), outcome.toString());
            assertTrue(outcome.whole(), outcome.toString() + " " + outcome.problems());
            assertEquals(0, parent.available());
        }
    }
}
