package io.github.jobserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Portable back end through jnr-posix (fstat, fcntl, open, read, write) and a jnr-ffi binding of
 * poll(2), for systems without {@code /proc/self/fd}. Loaded only when chosen: its first use costs
 * hundreds of milliseconds (NOTES §3), which the default Linux path never pays.
 *
 * <p>Private descriptions: a FIFO is opened by path with O_NONBLOCK (a new description, ours alone).
 * A pipe is reopened through {@code /proc/self/fd/R} with O_NONBLOCK where that exists; elsewhere it is
 * a dup of make's description, whose flags are left alone, so a read that loses a race with another
 * process after poll(2) may block until the next token comes (make's own pre-4.3 behaviour).
 */
final class JnrBackend extends Backend {

    private final POSIX posix;
    private final Poll poll;

    JnrBackend() {
        POSIX p = POSIXFactory.getNativePOSIX(); // getPOSIX() would silently fall back to a Java stub
        if (!p.isNative()) {
            throw new IllegalStateException("jnr-posix has no native library for this platform");
        }
        this.posix = p;
        this.poll = Poll.load();
    }

    @Override
    String name() {
        return "jnr";
    }

    private FileStat fstat(int fd) {
        FileStat st = posix.allocateStat();
        return posix.fstat(fd, st) == 0 ? st : null;
    }

    private int accessMode(int fd) {
        int flags = posix.fcntl(fd, Fcntl.F_GETFL);
        return flags < 0 ? -1 : flags & 3;
    }

    @Override
    NoJobserver checkPipe(int readFd, int writeFd) {
        FileStat r = fstat(readFd);
        FileStat w = fstat(writeFd);
        if (r == null || w == null) {
            return new NoJobserver(NoJobserver.Reason.CLOSED_FD, "fd " + (r == null ? readFd : writeFd) + " is not open");
        }
        for (int fd : new int[] {readFd, writeFd}) {
            FileStat st = fd == readFd ? r : w;
            if (!st.isFifo()) {
                return new NoJobserver(NoJobserver.Reason.NOT_A_PIPE, "fd " + fd + " is " + FileKind.describe(st.mode())
                        + target(fd) + ", not a pipe");
            }
        }
        if (r.dev() != w.dev() || r.ino() != w.ino()) {
            return new NoJobserver(NoJobserver.Reason.DIFFERENT_PIPES, "fds " + readFd + " and " + writeFd
                    + " are different pipes");
        }
        int rm = accessMode(readFd);
        int wm = accessMode(writeFd);
        if (rm == OpenFlags.O_WRONLY.intValue() || rm < 0) {
            return new NoJobserver(NoJobserver.Reason.WRONG_ACCESS_MODE, "fd " + readFd + " is not open for reading");
        }
        if (wm == OpenFlags.O_RDONLY.intValue() || wm < 0) {
            return new NoJobserver(NoJobserver.Reason.WRONG_ACCESS_MODE, "fd " + writeFd + " is not open for writing");
        }
        return null;
    }

    @Override
    Endpoint openPipe(int readFd, int writeFd) throws IOException {
        FileStat pipe = fstat(readFd);
        Path proc = Paths.get("/proc/self/fd/" + readFd);
        boolean reopen = Files.exists(proc);
        return new JnrEndpoint(posix, poll, "pipe " + readFd + "," + writeFd, -1) {
            @Override
            int openReadFd() throws IOException {
                requireSame(readFd, pipe);
                int fd = reopen ? open(proc.toString(), OpenFlags.O_RDONLY.intValue() | OpenFlags.O_NONBLOCK.intValue())
                        : posix.dup(readFd);
                return checked(fd, "reopen fd " + readFd);
            }

            @Override
            int openWriteFd() throws IOException {
                requireSame(writeFd, pipe);
                return checked(posix.dup(writeFd), "dup fd " + writeFd);
            }
        };
    }

    /** " (PATH)" where /proc can say what a descriptor is, for the message only. */
    private static String target(int fd) {
        try {
            return " (" + Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)) + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private void requireSame(int fd, FileStat expected) throws IOException {
        FileStat now = fstat(fd);
        if (now == null || now.dev() != expected.dev() || now.ino() != expected.ino()) {
            throw new IOException("fd " + fd + " no longer refers to the jobserver pipe");
        }
    }

    @Override
    NoJobserver checkFifo(Path fifo) {
        FileStat st = posix.allocateStat();
        if (posix.lstat(fifo.toString(), st) != 0) {
            return new NoJobserver(NoJobserver.Reason.MISSING_FIFO, "FIFO " + fifo + " does not exist");
        }
        if (!st.isFifo()) {
            return new NoJobserver(NoJobserver.Reason.NOT_A_FIFO, fifo + " is " + FileKind.describe(st.mode())
                    + ", not a FIFO");
        }
        int me = posix.geteuid();
        if (st.uid() != me) {
            return new NoJobserver(NoJobserver.Reason.NOT_OWNER,
                    "FIFO " + fifo + " belongs to uid " + st.uid() + ", not to this user (uid " + me + ")");
        }
        return null;
    }

    @Override
    Endpoint openFifo(Path fifo) throws IOException {
        int nonblock = OpenFlags.O_NONBLOCK.intValue();
        int nofollow = OpenFlags.O_NOFOLLOW.intValue();
        // Read-write and non-blocking: never blocks, even on a FIFO nobody serves, and keeps a reader
        // and a writer open for the opens that follow. fstat of the opened descriptor closes the
        // window between the check and the open.
        int anchor = JnrEndpoint.checked(posix, open(fifo.toString(), OpenFlags.O_RDWR.intValue() | nonblock | nofollow),
                "open " + fifo);
        FileStat st = fstat(anchor);
        if (st == null || !st.isFifo() || st.uid() != posix.geteuid()) {
            posix.close(anchor);
            throw new IOException(fifo + " is not a FIFO of this user");
        }
        return new JnrEndpoint(posix, poll, "fifo " + fifo, anchor) {
            @Override
            int openReadFd() throws IOException {
                int fd = checked(open(fifo.toString(), OpenFlags.O_RDONLY.intValue() | nonblock | nofollow), "open " + fifo);
                requireSameOrClose(fd, st);
                return fd;
            }

            @Override
            int openWriteFd() throws IOException {
                int fd = checked(open(fifo.toString(), OpenFlags.O_WRONLY.intValue() | nofollow), "open " + fifo);
                requireSameOrClose(fd, st);
                return fd;
            }
        };
    }

    private void requireSameOrClose(int fd, FileStat expected) throws IOException {
        FileStat now = fstat(fd);
        if (now == null || now.dev() != expected.dev() || now.ino() != expected.ino()) {
            posix.close(fd);
            throw new IOException("the FIFO was replaced while in use");
        }
    }

    private int open(String path, int flags) {
        return posix.open(path, flags | OpenFlags.O_CLOEXEC.intValue(), 0);
    }
}
