package io.github.jobserver.backend.proc;

import io.github.jobserver.Endpoint;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * An endpoint made of plain Java streams and channels on descriptions this process opened itself;
 * subclasses say how to open them (no lambdas: docs/FACTS.md, "Code on the start-up path").
 */
abstract class ProcEndpoint implements Endpoint {

    /** Retries of a token write whose channel an interrupt closed; each retry reopens it. */
    private static final int WRITE_ATTEMPTS = 64;

    private final String description;
    private final Closeable anchor;
    private final boolean counted;
    private FileChannel writer;

    /**
     * @param counted whether FIONREAD counts the bytes ready (a pipe or a FIFO); not for a server in user space,
     *     whose file reads as empty or as a device ({@code PosixBackend.tracksClients})
     */
    ProcEndpoint(String description, Closeable anchor, boolean counted) {
        this.description = description;
        this.anchor = anchor;
        this.counted = counted;
    }

    /** A new private, blocking, read-only description. */
    abstract FileInputStream openReadStream() throws IOException;

    /** A new private, blocking, write-only description. */
    abstract FileChannel openWriteChannel() throws IOException;

    @Override
    public ReadEnd openReadEnd() throws IOException {
        return new StreamReadEnd(openReadStream(), counted);
    }

    @Override
    public void write(byte token) throws IOException {
        ByteBuffer one = ByteBuffer.wrap(new byte[] {token});
        boolean interrupted = false;
        try {
            for (int attempt = 1; one.hasRemaining(); attempt++) {
                // A pending interrupt would make the channel close itself before writing (docs/FACTS.md, "Interrupts"):
                // set it aside for the write and restore it after.
                interrupted |= Thread.interrupted();
                FileChannel channel = writer();
                try {
                    channel.write(one);
                } catch (ClosedChannelException e) {
                    // Closed under us (an interrupt raced the write): the byte went out if the
                    // buffer says so; otherwise reopen and write it again.
                    if (attempt >= WRITE_ATTEMPTS && one.hasRemaining()) {
                        throw new IOException("cannot write a token back to " + description, e);
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized FileChannel writer() throws IOException {
        if (writer == null || !writer.isOpen()) {
            writer = openWriteChannel();
        }
        return writer;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (writer != null) {
                writer.close();
            }
        } finally {
            if (anchor != null) {
                anchor.close();
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /** A blocking read description; {@code available()} is FIONREAD for pipes and FIFOs, unknown otherwise. */
    private static final class StreamReadEnd implements ReadEnd {
        private final FileInputStream in;
        private final FileChannel channel;
        private final boolean counted;

        StreamReadEnd(FileInputStream in, boolean counted) {
            this.in = in;
            this.channel = in.getChannel();
            this.counted = counted;
        }

        @Override
        public int available() throws IOException {
            return counted ? in.available() : -1;
        }

        @Override
        public int read(ByteBuffer one) throws IOException {
            return channel.read(one);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
