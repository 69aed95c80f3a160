package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jobserver.backend.jnr.JnrBackend;
import io.github.jobserver.backend.proc.ProcBackend;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client on a jobserver served from user space that tracks its clients (our FUSE server, {@link
 * TrackingJobserver}), through each back end: its FIONREAD says 0 whatever the pool holds, its reads hand out
 * one token each, a waiting read is stopped by an interrupt of the server's own. Each test ends with the
 * server's own count: the pool whole, no write it refused, no byte given back that was not the one read.
 */
@Timeout(60)
class TrackingClientTest {

    @BeforeAll
    static void fuse() {
        assumeTrue(TrackingJobserver.available(), "no FUSE, cc or libfuse3 here");
    }

    private static Jobserver open(String backend, TrackingJobserver server) throws IOException {
        JobserverAuth auth = JobserverAuth.fifo(server.file());
        Backend b = backend.equals("jnr") ? new JnrBackend() : new ProcBackend();
        try {
            return new Jobserver(auth, b.open(auth));
        } catch (NoJobserverException e) {
            throw new AssertionError("refused: " + e.absence(), e);
        }
    }

    private static void whole(TrackingJobserver server, int peak) throws Exception {
        server.close();
        TrackingJobserver.Status end = server.finalStatus();
        assertEquals(3, end.free, end.line);
        assertEquals(0, end.held, end.line);
        assertEquals(0, end.refused, "a write from a process that held nothing: " + end.line);
        assertEquals(0, end.foreign, "a byte given back that was not the one read: " + end.line);
        assertEquals(peak, end.peak, end.line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"proc", "jnr"})
    void everyFreeTokenIsClaimedThoughFionreadSaysNothing(String backend) throws Exception {
        TrackingJobserver server = TrackingJobserver.start(3);
        try (Jobserver js = open(backend, server)) {
            js.acquireImplicit();
            List<Slot> claimed = new ArrayList<>();
            assertEquals(3, js.tryAcquireAll(claimed, 10), "claim mode's call");
            assertEquals(3, server.status().held);
            assertFalse(js.tryAcquire().isPresent(), "nothing left");
            for (Slot slot : claimed) {
                slot.close();
            }
        } finally {
            whole(server, 3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"proc", "jnr"})
    void aWaitingReadEndsAtItsTimeoutAndAnotherGetsTheTokenGivenBack(String backend) throws Exception {
        TrackingJobserver server = TrackingJobserver.start(3);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Jobserver js = open(backend, server)) {
            js.acquireImplicit();
            List<Slot> claimed = new ArrayList<>();
            assertEquals(3, js.tryAcquireAll(claimed, 10));
            assertFalse(js.acquire(100, TimeUnit.MILLISECONDS).isPresent(), "none free: the read times out");
            Future<Slot> waiting = pool.submit(() -> js.acquire());
            if (backend.equals("proc")) {
                // a blocking read, pending in the server (jnr's poll()s instead: it is woken, not answered)
                assertEquals(1, server.await(s -> s.pending == 1).pending, "the read waits in the server");
            }
            claimed.remove(0).close();
            Slot got = waiting.get(20, TimeUnit.SECONDS);
            assertEquals(3, server.status().held, "the token went to the waiting read");
            got.close();
            for (Slot slot : claimed) {
                slot.close();
            }
        } finally {
            pool.shutdownNow();
            whole(server, 3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"proc", "jnr"})
    void noGuardianStartsForAServerThatTakesBackWhatADeadClientHeld(String backend) throws Exception {
        List<String> before = guardians();
        TrackingJobserver server = TrackingJobserver.start(3);
        try (Jobserver js = open(backend, server)) {
            js.acquireImplicit();
            Optional<Slot> token = js.tryAcquire();
            assertTrue(token.isPresent());
            assertFalse(js.unguarded().isPresent(), "guarded, by the server: " + js.unguarded());
            List<String> now = guardians();
            now.removeAll(before);
            assertEquals(new ArrayList<String>(), now, "a guardian would write a dead JVM's tokens back again");
            token.get().close();
        } finally {
            whole(server, 1);
        }
    }

    /** The processes of a guardian script (its name is in their command line), by pid. */
    private static List<String> guardians() {
        List<String> found = new ArrayList<>();
        File[] procs = new File("/proc").listFiles();
        for (File p : procs == null ? new File[0] : procs) {
            File cmdline = new File(p, "cmdline");
            try {
                if (p.getName().matches("\\d+")
                        && new String(java.nio.file.Files.readAllBytes(cmdline.toPath()), "UTF-8")
                                .contains("jobserver-guardian")) {
                    found.add(p.getName());
                }
            } catch (IOException e) {
                // ended while we looked
            }
        }
        return found;
    }
}
