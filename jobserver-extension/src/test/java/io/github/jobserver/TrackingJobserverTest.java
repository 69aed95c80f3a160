package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tracking jobserver the tests use (src/it/lib/tracking-jobserver.c), proved with real processes. */
@Timeout(120)
class TrackingJobserverTest {
    static final Path PYTHON = Paths.get("/usr/bin/python3");

    @TempDir
    Path dir;

    @BeforeEach
    void needsFuse() {
        Assumptions.assumeTrue(TrackingJobserver.available(), "no FUSE, cc or libfuse3 here");
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON);
    }

    @Test
    void oneTokenPerReadNonBlockingReadsAndPoll() throws Exception {
        try (TrackingJobserver js = TrackingJobserver.start(2);
                FileChannel holder = FileChannel.open(js.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer a = ByteBuffer.allocate(10);
            ByteBuffer b = ByteBuffer.allocate(10);
            assertEquals(1, holder.read(a), "one token per read, whatever size was asked");
            assertEquals(1, holder.read(b));
            assertNotEquals(a.get(0), b.get(0), "distinct tokens");
            try (Python poller = new Python(POLLER, js.file())) {
                String pid = poller.line();
                assertEquals("eagain", poller.line(), "a non-blocking read with none free");
                assertEquals("not ready", poller.line(), "poll with none free");
                // the poller is in poll() once the server keeps its poll handle to notify
                js.awaitEvent("poll pid=" + pid + " wait");
                a.flip();
                assertEquals(1, holder.write(a));
                assertTrue(poller.line().startsWith("woken"), "the freed token wakes the poller");
                assertEquals("token " + (char) a.get(0), poller.line());
                assertEquals(0, poller.exit());
            }
            b.flip();
            holder.write(b);
            TrackingJobserver.Status s = js.status();
            assertEquals("free=2 held=0 peak=2 reads=3 writes=3 refused=0 foreign=0 reclaimed=0", cut(s), s.line);
        }
    }

    @Test
    void aSignalledReadIsAnsweredEintrAndLosesNothing() throws Exception {
        try (TrackingJobserver js = TrackingJobserver.start(1);
                FileChannel holder = FileChannel.open(js.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer token = ByteBuffer.allocate(1);
            assertEquals(1, holder.read(token));
            try (Python reader = new Python(BLOCKED_READER, js.file())) {
                String pid = reader.line();
                assertEquals(1, js.await(s -> s.pending == 1).pending, "its read waits for a token");
                assertEquals(0, Processes.run(new ProcessBuilder("kill", "-USR1", pid)).exit);
                assertEquals("interrupted", reader.line());
                assertEquals(0, reader.exit());
            }
            TrackingJobserver.Status s = js.status();
            assertEquals(1, s.interrupted, s.line);
            assertEquals(0, s.pending, s.line);
            token.flip();
            holder.write(token);
            assertEquals(1, js.status().free, "the pool is whole");
        }
    }

    @Test
    void closingAChannelStopsItsBlockedRead() throws Exception {
        try (TrackingJobserver js = TrackingJobserver.start(1);
                FileChannel holder = FileChannel.open(js.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer token = ByteBuffer.allocate(1);
            assertEquals(1, holder.read(token));
            FileChannel blocked = FileChannel.open(js.file(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    outcome.set(blocked.read(ByteBuffer.allocate(1)));
                } catch (IOException e) {
                    outcome.set(e);
                }
            });
            reader.setDaemon(true);
            reader.start();
            assertEquals(1, js.await(s -> s.pending == 1).pending, "the read waits for a token");
            // how the client stops a read: the JDK signals the reading thread, FUSE sends INTERRUPT; close()
            // waits for the read to end, so it closes on a thread of its own and this one keeps the deadline
            Thread closer = new Thread(() -> {
                try {
                    blocked.close();
                } catch (IOException e) {
                    outcome.compareAndSet(null, e);
                }
            });
            closer.setDaemon(true);
            closer.start();
            reader.join(TrackingJobserver.DEADLINE_MILLIS);
            assertFalse(reader.isAlive(), "the read is still blocked after close()");
            assertTrue(outcome.get() instanceof ClosedChannelException, String.valueOf(outcome.get()));
            TrackingJobserver.Status s = js.status();
            assertEquals(1, s.interrupted, s.line);
            assertEquals(0, s.pending, s.line);
            token.flip();
            holder.write(token);
            assertEquals(1, js.status().free, "the pool is whole");
        }
    }

    @Test
    void aKilledHoldersTokensAreTakenBack() throws Exception {
        try (TrackingJobserver js = TrackingJobserver.start(3)) {
            try (Python holder = new Python(HOLDER, js.file())) {
                String pid = holder.line();
                assertEquals("held abc", holder.line());
                holder.process.destroyForcibly(); // SIGKILL: it gives nothing back itself
                assertTrue(holder.process.waitFor(TrackingJobserver.DEADLINE_MILLIS, TimeUnit.MILLISECONDS));
                TrackingJobserver.Status s = js.await(now -> now.free == 3);
                assertEquals("free=3 held=0 peak=3 reads=3 writes=0 refused=0 foreign=0 reclaimed=3", cut(s), s.line);
                assertTrue(js.events().contains("reclaim pid=" + pid + " tokens=3"), js.events());
            }
        }
    }

    @Test
    void aWriteFromAProcessHoldingNoneIsRefused() throws Exception {
        TrackingJobserver.Status last;
        try (TrackingJobserver js = TrackingJobserver.start(2)) {
            try (Python stranger = new Python(STRANGER, js.file())) {
                stranger.line();
                assertEquals("refused", stranger.line(), "EPERM for a token it never read");
                assertEquals("read 2", stranger.line(), "no token invented: the pool still holds 2");
                assertEquals(0, stranger.exit());
            }
            last = js.status();
            assertEquals("free=2 held=0 peak=2 reads=2 writes=2 refused=1 foreign=0 reclaimed=0", cut(last), last.line);
            js.close();
            assertNotNull(js.finalStatus(), "the server prints its status when unmounted");
            assertEquals(last.line, js.finalStatus().line);
        }
    }

    @Test
    void gnuMake44UnderItKeepsTheLimitAndGivesEveryTokenBack() throws Exception {
        String cache = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
        Path make = Paths.get(cache, "jobserver-tools", "make-4.4.1", "bin", "make");
        Assumptions.assumeTrue(Files.isExecutable(make), "no GNU make 4.4.1 (src/it/peers.sh builds it) at " + make);
        try (TrackingJobserver js = TrackingJobserver.start(3)) {
            Processes.timedRecipes(dir, 12, "0.2");
            ProcessBuilder b = new ProcessBuilder(make.toString(), "-f", "recipes.mk").directory(dir.toFile());
            Processes.clearMakeflags(b);
            b.environment().put("MAKEFLAGS", " -j4 --jobserver-auth=fifo:" + js.file());
            Processes.Result result = Processes.run(b);
            assertEquals(0, result.exit, result.toString());
            assertFalse(result.output.contains("INTERNAL: Exiting with"), result.output);
            int peak = Processes.peak(dir.resolve("log"));
            assertEquals(12, Processes.count(dir.resolve("log"), "end "));
            assertTrue(peak >= 2 && peak <= 4, "peak " + peak + " of its implicit slot and 3 tokens");
            TrackingJobserver.Status s = js.await(now -> now.free == 3);
            assertEquals("free=3 held=0 peak=3", s.line.substring(0, 20), s.line);
            assertEquals(0, s.refused, s.line);
            assertEquals(0, s.reclaimed, "make gave every token back itself: " + s.line);
            // make 4.4.1 writes back its own '+' whatever it read (posixos.c): each write is a foreign byte
            assertEquals(s.writes, s.foreign, s.line);
        }
    }

    private static String cut(TrackingJobserver.Status s) {
        return s.line.substring(0, s.line.indexOf(" interrupted="));
    }

    /** Each script prints its pid first, then what it saw; argv[1] is the jobserver. */
    static final String POLLER = String.join(
            "\n",
            "import os, select, sys",
            "print(os.getpid(), flush=True)",
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_NONBLOCK)",
            "try:",
            "    os.read(fd, 10); print('a token', flush=True)",
            "except BlockingIOError:",
            "    print('eagain', flush=True)",
            "p = select.poll(); p.register(fd, select.POLLIN | select.POLLRDNORM)",
            "print('ready' if p.poll(0) else 'not ready', flush=True)",
            "events = p.poll(20000)",
            "print('woken %s' % events if events else 'timed out', flush=True)",
            "t = os.read(fd, 10)",
            "os.write(fd, t)",
            "print('token', t.decode(), flush=True)");

    static final String BLOCKED_READER = String.join(
            "\n",
            "import os, signal, sys",
            "class Interrupted(Exception): pass",
            "def interrupt(signum, frame): raise Interrupted()",
            "signal.signal(signal.SIGUSR1, interrupt)",
            "fd = os.open(sys.argv[1], os.O_RDWR)",
            "print(os.getpid(), flush=True)",
            "try:",
            "    print('token', os.read(fd, 1), flush=True)",
            "except Interrupted:",
            "    print('interrupted', flush=True)");

    static final String HOLDER = String.join(
            "\n",
            "import os, sys",
            "print(os.getpid(), flush=True)",
            "fd = os.open(sys.argv[1], os.O_RDWR)",
            "print('held', b''.join(os.read(fd, 10) for _ in range(3)).decode(), flush=True)",
            "sys.stdin.read()");

    static final String STRANGER = String.join(
            "\n",
            "import os, sys",
            "print(os.getpid(), flush=True)",
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_NONBLOCK)",
            "try:",
            "    os.write(fd, b'a'); print('accepted', flush=True)",
            "except PermissionError:",
            "    print('refused', flush=True)",
            "held = []",
            "try:",
            "    while True: held.append(os.read(fd, 1))",
            "except BlockingIOError:",
            "    print('read', len(held), flush=True)",
            "for t in held: os.write(fd, t)");

    /** A python3 child: a test waits for its lines and its end, each with the deadline. */
    static final class Python implements AutoCloseable {
        final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Python(String script, Path jobserver) throws IOException {
            process = new ProcessBuilder(PYTHON.toString(), "-c", script, jobserver.toString())
                    .redirectErrorStream(true)
                    .start();
            TrackingJobserver.readLines(process, lines);
        }

        String line() throws InterruptedException {
            String line = lines.poll(TrackingJobserver.DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("python3 said nothing more");
            }
            return line;
        }

        int exit() throws InterruptedException {
            assertTrue(
                    process.waitFor(TrackingJobserver.DEADLINE_MILLIS, TimeUnit.MILLISECONDS), "python3 did not end");
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            // a process in a read the server never answers cannot die even of SIGKILL: the server's close ends it
            process.destroyForcibly().waitFor(TrackingJobserver.DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
