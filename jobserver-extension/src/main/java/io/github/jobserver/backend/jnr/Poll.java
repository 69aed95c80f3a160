package io.github.jobserver.backend.jnr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/** poll(2) on two descriptors through jnr-ffi (jnr-posix has no binding for it). */
final class Poll {

    /** The C library call. nfds_t is unsigned long on Linux, unsigned int on macOS: small values pass either way. */
    public interface LibC {
        int poll(@In @Out ByteBuffer fds, long nfds, int timeout);
    }

    static final int READY = 1;
    static final int WOKEN = 2;
    private static final short POLLIN = 0x1;
    private static final short POLLERR = 0x8;
    private static final short POLLHUP = 0x10;
    private static final short POLLNVAL = 0x20;
    private static final int ENTRY = 8; // struct pollfd { int fd; short events; short revents; }

    private final LibC libc;
    private final Runtime runtime;

    private Poll(LibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
    }

    static Poll load() {
        return new Poll(LibraryLoader.create(LibC.class).load("c"));
    }

    /**
     * Waits until {@code fd} is readable (or hung up) or {@code wakeFd} is, at most {@code timeoutMillis}
     * (-1: forever). Returns a mask of {@link #READY} and {@link #WOKEN}; 0 on timeout or EINTR.
     */
    int await(int fd, int wakeFd, int timeoutMillis) {
        ByteBuffer fds = ByteBuffer.allocateDirect(2 * ENTRY).order(ByteOrder.nativeOrder());
        fds.putInt(0, fd).putShort(4, POLLIN).putInt(ENTRY, wakeFd).putShort(ENTRY + 4, POLLIN);
        int n = libc.poll(fds, wakeFd < 0 ? 1 : 2, timeoutMillis);
        if (n < 0) {
            if (runtime.getLastError() == Errno.EINTR.intValue()) {
                return 0;
            }
            throw new IllegalStateException("poll failed: errno " + runtime.getLastError());
        }
        int mask = 0;
        short any = POLLIN | POLLHUP | POLLERR | POLLNVAL;
        if ((fds.getShort(6) & any) != 0) {
            mask |= READY;
        }
        if (wakeFd >= 0 && (fds.getShort(ENTRY + 6) & any) != 0) {
            mask |= WOKEN;
        }
        return mask;
    }
}
