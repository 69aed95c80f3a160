package io.github.jobserver;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A jobserver of J slots, as make 4.4 creates one: a FIFO holding J-1 tokens (this process keeps the
 * implicit slot), in a fresh private directory (mode 0700, FIFO 0600) under {@code $TMPDIR}.
 *
 * <p>Children join it through {@link ClientLauncher}. {@link #close()} counts the tokens that came back,
 * reports a shortfall or surplus as make does at exit, and removes the FIFO and its directory.
 */
public final class JobserverServer implements Closeable {

    /** The byte this server writes; make writes {@code '+'} too. */
    public static final byte TOKEN = '+';

    private final int jobs;
    private final Path directory;
    private final Path fifo;
    private final FileChannel anchor;
    private final FileInputStream counter;
    private FileOutputStream feeder;

    /** How long {@link #closeAndCount()} waits for the pool's last writers to go (a guardian, a straggler). */
    static final long WRITERS_GRACE_MILLIS = 5_000;

    private boolean closed;
    /** Removes the FIFO and its directory if the JVM exits before close() (SIGTERM, Ctrl-C, System.exit). */
    private final Thread cleanup = new Thread(this::removeFiles, "jobserver-server-cleanup");

    private JobserverServer(int jobs, Path directory, Path fifo, FileChannel anchor, FileInputStream counter) {
        this.jobs = jobs;
        this.directory = directory;
        this.fifo = fifo;
        this.anchor = anchor;
        this.counter = counter;
    }

    /** Creates a server of {@code jobs} slots in {@code $TMPDIR} (else {@code java.io.tmpdir}). */
    public static JobserverServer create(int jobs) throws IOException {
        return create(jobs, temporaryDirectory(System.getenv()));
    }

    /** Creates a server of {@code jobs} slots (at least 1) in a new private directory under {@code parent}. */
    public static JobserverServer create(int jobs, Path parent) throws IOException {
        if (jobs < 1) {
            throw new IllegalArgumentException("a jobserver needs at least 1 slot, not " + jobs);
        }
        // createTempDirectory makes a new, unpredictable directory with these permissions or fails:
        // it never reuses or follows something already there.
        Path directory = Files.createTempDirectory(
                parent,
                "jobserver-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path fifo = directory.resolve("fifo");
        FileChannel anchor = null;
        FileInputStream counter = null;
        try {
            mkfifo(fifo);
            anchor = FileChannel.open(
                    fifo, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            counter = new FileInputStream(fifo.toFile());
            byte[] tokens = new byte[jobs - 1];
            Arrays.fill(tokens, TOKEN);
            ByteBuffer buffer = ByteBuffer.wrap(tokens);
            while (buffer.hasRemaining()) {
                anchor.write(buffer);
            }
            JobserverServer server = new JobserverServer(jobs, directory, fifo, anchor, counter);
            Runtime.getRuntime().addShutdownHook(server.cleanup);
            return server;
        } catch (IOException | RuntimeException e) {
            closeAll(counter, anchor);
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(directory);
            throw e;
        }
    }

    static Path temporaryDirectory(Map<String, String> env) {
        String tmp = env.get("TMPDIR");
        return tmp != null && tmp.startsWith("/") ? Paths.get(tmp) : Paths.get(System.getProperty("java.io.tmpdir"));
    }

    private static void mkfifo(Path fifo) throws IOException {
        // Plain Java cannot make a FIFO; mkfifo(1) is POSIX and costs one short process.
        Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString())
                .redirectErrorStream(true)
                .start();
        try {
            byte[] out = readAll(p);
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo " + fifo + " failed: " + new String(out).trim());
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + fifo, e);
        }
    }

    private static byte[] readAll(Process p) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[512];
        for (int n; (n = p.getInputStream().read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** The number of slots J (J-1 tokens plus this process's implicit slot). */
    public int jobs() {
        return jobs;
    }

    public Path fifo() {
        return fifo;
    }

    /** The description children are given. */
    public JobserverAuth auth() {
        return JobserverAuth.fifo(fifo);
    }

    /** The MAKEFLAGS a make 4.4 child needs: {@code -jJ --jobserver-auth=fifo:PATH}. */
    public String makeflags() {
        return " -j" + jobs + " --jobserver-auth=" + auth().toAuthValue();
    }

    /** Adds one token to the pool (a {@link Relay} lending a slot it borrowed). */
    synchronized void put(byte token) throws IOException {
        if (closed) {
            throw new IOException(this + " is closed");
        }
        if (feeder == null) {
            // A stream, not the anchor's channel: an interrupt in the writing thread must not close the pool.
            // The FIFO is open for reading here already, so this open does not block.
            feeder = new FileOutputStream(fifo.toFile());
        }
        feeder.write(token);
    }

    /** Tokens in the FIFO right now (FIONREAD): J-1 when nobody holds one. */
    public synchronized int available() throws IOException {
        return closed ? 0 : counter.available();
    }

    /**
     * Counts the tokens that came back and removes the FIFO. The report says whether the pool was
     * whole; it is not an exception, because the caller decides what a shortfall means.
     */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closeAndCount();
        }
    }

    /** Like {@link #close()}, returning the count. */
    public Report closeAndCount() throws IOException {
        return closeAndCount(WRITERS_GRACE_MILLIS);
    }

    /** Like {@link #closeAndCount()}, waiting {@code graceMillis} at most for the pool's last writers. */
    synchronized Report closeAndCount(long graceMillis) throws IOException {
        if (closed) {
            throw new IllegalStateException("jobserver " + fifo + " is already closed");
        }
        closed = true;
        try {
            closeAll(feeder, anchor);
            return new Report(jobs - 1, countUntilNoWriter(graceMillis));
        } finally {
            try {
                closeAll(counter);
            } finally {
                removeFiles();
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs now or soon and finds the files gone
                }
            }
        }
    }

    /**
     * The tokens in the pool once no other process holds it open for writing, as make counts at its exit
     * (this server's own writers are closed first): a client's {@link Guardian} still giving back what a
     * killed client held is waited for. A writer that stays (a process left running in the background) is
     * waited for {@code graceMillis} at most; what is in the pool then is the count.
     */
    private int countUntilNoWriter(long graceMillis) throws IOException {
        FileChannel channel = counter.getChannel();
        Thread reader = Thread.currentThread();
        AtomicBoolean counted = new AtomicBoolean();
        Thread deadline = new Thread(
                () -> {
                    try {
                        Thread.sleep(graceMillis); // a bound, ended early by interrupt()
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (counted.compareAndSet(false, true)) {
                        try {
                            channel.close(); // the blocked read below ends; what it read so far counts
                        } catch (IOException ignored) {
                            // closed already
                        }
                    }
                },
                "jobserver-count " + fifo);
        deadline.setDaemon(true);
        int tokens = 0;
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        boolean interrupted = Thread.interrupted(); // a pending interrupt would close the channel at once
        deadline.start();
        try {
            for (int n; (n = channel.read(buffer)) >= 0; buffer.clear()) {
                tokens += n;
            }
        } catch (AsynchronousCloseException e) {
            tokens += buffer.position(); // a writer stayed past the grace: count what came
        } finally {
            if (counted.compareAndSet(false, true)) {
                deadline.interrupt();
            }
            if (interrupted) {
                reader.interrupt();
            }
        }
        return tokens;
    }

    /**
     * Removes the FIFO and its directory; the pool itself lives on in the descriptors still open. Only
     * SIGKILL skips this: the next server makes a new directory and never looks at the old one.
     */
    private synchronized void removeFiles() {
        try {
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            System.err.println("jobserver: cannot remove " + directory + ": " + e.getMessage());
        }
    }

    private static void closeAll(Closeable... all) throws IOException {
        IOException first = null;
        for (Closeable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "jobserver " + fifo + " (" + jobs + " slots)";
    }

    /** How many tokens were back at exit, against how many there should be. */
    public static final class Report {
        private final int expected;
        private final int available;

        Report(int expected, int available) {
            this.expected = expected;
            this.available = available;
        }

        public int expected() {
            return expected;
        }

        public int available() {
            return available;
        }

        /** True when every token came back and none was invented. */
        public boolean whole() {
            return expected == available;
        }

        /**
         * make's exit check in its own words (lower-case so it is never mistaken for make's message):
         * {@code jobserver: exiting with 2 jobserver tokens available; should be 3!}.
         */
        @Override
        public String toString() {
            return whole()
                    ? "jobserver: all " + expected + " tokens returned"
                    : "jobserver: " + shortfall(available, expected);
        }

        /** make's words for a pool that is not whole at exit, without its "INTERNAL:" prefix. */
        static String shortfall(int available, int expected) {
            return "exiting with " + available + " jobserver tokens available; should be " + expected + "!";
        }
    }
}
