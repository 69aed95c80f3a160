package io.github.jobserver;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An opened jobserver: a source of private read descriptions and a way to write a token back.
 * Closing it closes only what it opened itself, never a descriptor inherited from make. Made by a
 * {@link Backend}; for back ends, not for users of the library.
 */
public interface Endpoint extends Closeable {

    /** A new private, blocking read description on the jobserver. */
    ReadEnd openReadEnd() throws IOException;

    /**
     * Writes one token byte back. Must complete even when the calling thread is interrupted: a token
     * given back on a Ctrl-C path must not be lost to Java's close-on-interrupt channels.
     */
    void write(byte token) throws IOException;

    /**
     * How the {@link Guardian} reaches this jobserver from another process: a path, a launcher that hands it
     * down as a descriptor, or {@link Guardian.Route#NONE}. Asked once, before the first token is read.
     */
    default Guardian.Route guardianRoute() throws IOException {
        return Guardian.Route.NONE;
    }

    /** One reader's description on the jobserver. */
    interface ReadEnd extends Closeable {

        /** Bytes that can be read right now without blocking (FIONREAD), or -1 when unknown. */
        int available() throws IOException;

        /**
         * Blocking read of at most one byte into {@code one}. Returns -1 at EOF. When {@link #close()}
         * is called from another thread the read stops with a {@link java.nio.channels.ClosedChannelException};
         * a byte already read is then still in {@code one} (its position is 1), so no token is lost.
         */
        int read(ByteBuffer one) throws IOException;
    }
}
