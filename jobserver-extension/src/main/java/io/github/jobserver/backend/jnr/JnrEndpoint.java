package io.github.jobserver.backend.jnr;

import io.github.jobserver.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import jnr.constants.platform.Errno;
import jnr.constants.platform.Fcntl;
import jnr.posix.POSIX;

/** An endpoint on raw descriptors through jnr-posix; subclasses say how to open the private ones. */
abstract class JnrEndpoint implements Endpoint {

    /** How often a waiting read looks at its thread's interrupt flag: jnr calls ignore interrupts. */
    private static final int INTERRUPT_CHECK_MILLIS = 50;

    final POSIX posix;
    private final Poll poll;
    private final String description;
    private final boolean counted;
    private int anchor;
    private int writeFd = -1;

    /**
     * @param counted whether poll(2) says truly when a byte is ready (a pipe or a FIFO); not for a server in
     *     user space ({@code PosixBackend.tracksClients}), whose poll may say "ready" always
     */
    JnrEndpoint(POSIX posix, Poll poll, String description, int anchor, boolean counted) {
        this.posix = posix;
        this.poll = poll;
        this.description = description;
        this.anchor = anchor;
        this.counted = counted;
    }

    /** A new private read descriptor (non-blocking where the platform allows a private description). */
    abstract int openReadFd() throws IOException;

    /** A descriptor to write tokens to. */
    abstract int openWriteFd() throws IOException;

    int checked(int fd, String what) throws IOException {
        return checked(posix, fd, what);
    }

    static int checked(POSIX posix, int fd, String what) throws IOException {
        if (fd < 0) {
            throw new IOException(what + ": " + posix.strerror(posix.errno()));
        }
        posix.fcntl(fd, Fcntl.F_SETFD, 1); // FD_CLOEXEC: dup() and pipe() do not set it
        return fd;
    }

    @Override
    public ReadEnd openReadEnd() throws IOException {
        return new JnrReadEnd(openReadFd());
    }

    @Override
    public synchronized void write(byte token) throws IOException {
        if (writeFd < 0) {
            writeFd = openWriteFd();
        }
        // a native write is not affected by Thread.interrupt()
        writeFully(posix, writeFd, new byte[] {token}, "cannot write a token back to " + description);
    }

    /**
     * Writes all of {@code bytes} to {@code fd}, again after EINTR or EAGAIN; any other error is an
     * {@link IOException} that starts with {@code what}.
     */
    static void writeFully(POSIX posix, int fd, byte[] bytes, String what) throws IOException {
        byte[] rest = bytes;
        while (rest.length > 0) {
            int n = posix.write(fd, rest, rest.length);
            if (n > 0) {
                rest = Arrays.copyOfRange(rest, n, rest.length);
                continue;
            }
            int errno = posix.errno();
            if (n < 0 && errno != Errno.EINTR.intValue() && errno != Errno.EAGAIN.intValue()) {
                throw new IOException(what + ": " + posix.strerror(errno));
            }
        }
    }

    @Override
    public synchronized void close() {
        if (writeFd >= 0) {
            posix.close(writeFd);
            writeFd = -1;
        }
        if (anchor >= 0) {
            posix.close(anchor);
            anchor = -1;
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /** One private read descriptor plus a wake pipe: close() from another thread wakes the poll. */
    private final class JnrReadEnd implements ReadEnd {
        private final int fd;
        private final int[] wake = new int[2];
        private boolean reading;
        private boolean closed;
        private boolean released;

        JnrReadEnd(int fd) throws IOException {
            this.fd = fd;
            if (posix.pipe(wake) != 0) {
                posix.close(fd);
                throw new IOException("cannot create a wake pipe: " + posix.strerror(posix.errno()));
            }
            checked(wake[0], "wake pipe");
            checked(wake[1], "wake pipe");
        }

        @Override
        public int available() {
            if (!counted) {
                return -1;
            }
            return (poll.await(fd, -1, 0) & Poll.READY) != 0 ? 1 : 0;
        }

        @Override
        public int read(ByteBuffer one) throws IOException {
            synchronized (this) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                reading = true;
            }
            try {
                byte[] buf = new byte[1];
                while (true) {
                    if (Thread.currentThread().isInterrupted()) {
                        close();
                        throw new ClosedByInterruptException();
                    }
                    int ready = poll.await(fd, wake[0], INTERRUPT_CHECK_MILLIS);
                    if ((ready & Poll.WOKEN) != 0) {
                        throw new AsynchronousCloseException();
                    }
                    if ((ready & Poll.READY) == 0) {
                        continue;
                    }
                    int n = posix.read(fd, buf, 1);
                    if (n == 1) {
                        one.put(buf[0]);
                        return 1;
                    }
                    if (n == 0) {
                        return -1; // EOF: every writer is gone
                    }
                    int errno = posix.errno();
                    if (errno != Errno.EAGAIN.intValue() && errno != Errno.EINTR.intValue()) {
                        throw new IOException("read from " + description + ": " + posix.strerror(errno));
                    }
                    // EAGAIN: another reader took the byte poll saw; wait again
                }
            } finally {
                synchronized (this) {
                    reading = false;
                    if (closed) {
                        release();
                    }
                }
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (reading) {
                posix.write(wake[1], new byte[] {1}, 1); // the reader releases the descriptors
            } else {
                release();
            }
        }

        private void release() {
            if (!released) {
                released = true;
                posix.close(fd);
                posix.close(wake[0]);
                posix.close(wake[1]);
            }
        }
    }
}
