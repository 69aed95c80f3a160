package io.github.jobserver;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A jobserver of J slots, as make 4.4 creates one: a FIFO holding J-1 tokens (this process keeps the
 * implicit slot), in a fresh private directory (mode 0700, FIFO 0600) under {@code $TMPDIR} ({@link PrivateFifo}).
 *
 * <p>Children join it through {@link ClientLauncher}. {@link #close()} counts the tokens that came back,
 * reports a shortfall or surplus as make does at exit, and removes the FIFO and its directory.
 */
public final class JobserverServer implements Closeable {

    /** The byte this server writes; make writes {@code '+'} too. */
    public static final byte TOKEN = '+';

    private final int jobs;
    private final PrivateFifo files;
    private final Path fifo;
    private final FileChannel anchor;
    private final FileInputStream counter;
    private FileOutputStream feeder;

    /** How long {@link #closeAndCount()} waits for the pool's last writers to go (a guardian, a straggler). */
    static final long WRITERS_GRACE_MILLIS = 5_000;

    private boolean closed;

    private JobserverServer(int jobs, PrivateFifo files, FileChannel anchor, FileInputStream counter) {
        this.jobs = jobs;
        this.files = files;
        this.fifo = files.path();
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
        PrivateFifo files = PrivateFifo.create(parent);
        Path fifo = files.path();
        FileChannel anchor = null;
        FileInputStream counter = null;
        try {
            anchor = FileChannel.open(
                    fifo, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            counter = new FileInputStream(fifo.toFile());
            byte[] tokens = new byte[jobs - 1];
            Arrays.fill(tokens, TOKEN);
            ByteBuffer buffer = ByteBuffer.wrap(tokens);
            while (buffer.hasRemaining()) {
                anchor.write(buffer);
            }
            JobserverServer server = new JobserverServer(jobs, files, anchor, counter);
            files.removeAtExit();
            return server;
        } catch (IOException | RuntimeException e) {
            closeAll(counter, anchor);
            files.delete();
            throw e;
        }
    }

    static Path temporaryDirectory(Map<String, String> env) {
        String tmp = env.get("TMPDIR");
        return tmp != null && tmp.startsWith("/") ? Paths.get(tmp) : Paths.get(System.getProperty("java.io.tmpdir"));
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
        return MakeFlags.forChild(null, auth(), jobs); // the one MAKEFLAGS writer: a path with blanks is escaped
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
                files.remove();
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
