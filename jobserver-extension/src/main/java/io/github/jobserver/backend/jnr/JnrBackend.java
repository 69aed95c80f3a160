package io.github.jobserver.backend.jnr;

import io.github.jobserver.Endpoint;
import io.github.jobserver.FileFacts;
import io.github.jobserver.Guardian;
import io.github.jobserver.PosixBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Portable back end through jnr-posix (fstat, fcntl, open, read, write) and a jnr-ffi binding of
 * poll(2), for systems without {@code /proc/self/fd}. Loaded only when chosen: its first use costs
 * hundreds of milliseconds (docs/FACTS.md, "Start-up"), which the default Linux path never pays.
 *
 * <p>Private descriptions: a FIFO is opened by path once, read-write with O_NONBLOCK (a new description,
 * ours alone), and later through that descriptor ({@code /proc/self/fd/N}, or dups of it without /proc).
 * A pipe is reopened through {@code /proc/self/fd/R} with O_NONBLOCK where that exists; elsewhere it is
 * a dup of make's description, whose flags are left alone, so a read that loses a race with another
 * process after poll(2) may block until the next token comes (make's own pre-4.3 behaviour). There its
 * {@link io.github.jobserver.Guardian} is started by {@link Spawn}, with the pipe handed down.
 */
public final class JnrBackend extends PosixBackend {

    /**
     * System property: {@code false} makes this back end act as on a system without {@code /proc} (no
     * reopening through {@code /proc/self/fd}), so that path runs, and is tested, on Linux too.
     */
    public static final String PROC_PROPERTY = "jobserver.jnr.proc";

    private static final boolean PROC = !"false".equals(System.getProperty(PROC_PROPERTY));

    private final POSIX posix;
    private final Poll poll;

    public JnrBackend() {
        POSIX p = POSIXFactory.getNativePOSIX(); // getPOSIX() would silently fall back to a Java stub
        if (!p.isNative()) {
            throw new IllegalStateException("jnr-posix has no native library for this platform");
        }
        this.posix = p;
        this.poll = Poll.load();
    }

    @Override
    public String name() {
        return "jnr";
    }

    @Override
    protected FileFacts describe(int fd) {
        FileStat st = posix.allocateStat();
        if (posix.fstat(fd, st) != 0) {
            return null;
        }
        int flags = posix.fcntl(fd, Fcntl.F_GETFL);
        return FileFacts.ofDescriptor(
                st.mode(), st.dev(), st.ino(), st.uid(), flags < 0 ? FileFacts.UNKNOWN : flags & 3, target(fd));
    }

    /** What /proc says the descriptor is, where there is a /proc, for messages only. */
    private static String target(int fd) {
        if (!PROC) {
            return null;
        }
        try {
            return Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    protected FileFacts describe(Path path) {
        FileStat st = posix.allocateStat();
        return posix.lstat(path.toString(), st) != 0
                ? null
                : FileFacts.ofPath(st.mode(), st.dev(), st.ino(), st.uid(), st.gid(), st.rdev());
    }

    @Override
    protected int effectiveUid() {
        return posix.geteuid();
    }

    @Override
    protected Set<Integer> groups() {
        Set<Integer> groups = new HashSet<>();
        groups.add(posix.getegid());
        for (long gid : posix.getgroups()) {
            groups.add((int) gid);
        }
        return groups;
    }

    @Override
    protected Endpoint openPipe(int readFd, int writeFd, FileFacts pipe) {
        Path proc = Paths.get("/proc/self/fd/" + readFd);
        boolean reopen = PROC && Files.exists(proc);
        return new JnrEndpoint(posix, poll, "pipe " + readFd + "," + writeFd, -1, true) {
            @Override
            int openReadFd() throws IOException {
                requireSame(pipe, describe(readFd), "fd " + readFd + " no longer refers to the jobserver pipe");
                int fd = reopen
                        ? open(proc.toString(), OpenFlags.O_RDONLY.intValue() | OpenFlags.O_NONBLOCK.intValue())
                        : posix.dup(readFd);
                return checked(fd, "reopen fd " + readFd);
            }

            @Override
            int openWriteFd() throws IOException {
                requireWriteEnd();
                return checked(posix.dup(writeFd), "dup fd " + writeFd);
            }

            @Override
            public Guardian.Route guardianRoute() throws IOException {
                requireWriteEnd();
                // without /proc another process cannot reach this JVM's pipe by a path: handed down instead
                return reopen
                        ? Guardian.Route.path("/proc/self/fd/" + writeFd)
                        : Guardian.Route.descriptor(new Spawn(posix, writeFd));
            }

            private void requireWriteEnd() throws IOException {
                requireSame(pipe, describe(writeFd), "fd " + writeFd + " no longer refers to the jobserver pipe");
            }
        };
    }

    @Override
    protected Endpoint openFifo(Path fifo, FileFacts accepted) throws IOException {
        int nonblock = OpenFlags.O_NONBLOCK.intValue();
        int nofollow = OpenFlags.O_NOFOLLOW.intValue();
        // Read-write and non-blocking: never blocks, even on a FIFO nobody serves, and keeps a reader
        // and a writer open for the opens that follow. fstat of the opened descriptor closes the
        // window between the check and the open.
        int anchor = JnrEndpoint.checked(
                posix, open(fifo.toString(), OpenFlags.O_RDWR.intValue() | nonblock | nofollow), "open " + fifo);
        requireSameOrClose(anchor, accepted, fifo);
        // with /proc, every later open goes through the anchor's own link, so the FIFO's path may be removed
        // or replaced while in use without losing a token; without it, every descriptor is a dup of the
        // anchor (one shared non-blocking description, which only ever has these flags), and the guardian is
        // handed the anchor: the path is never used again either way
        String own = PROC && Files.exists(Paths.get("/proc/self/fd/" + anchor)) ? "/proc/self/fd/" + anchor : null;
        boolean tracking = tracksClients(accepted);
        return new JnrEndpoint(posix, poll, "fifo " + fifo, anchor, !tracking) {
            @Override
            int openReadFd() throws IOException {
                return own == null
                        ? checked(posix.dup(anchor), "dup the FIFO's descriptor")
                        : reopened(open(own, OpenFlags.O_RDONLY.intValue() | nonblock));
            }

            @Override
            int openWriteFd() throws IOException {
                return own == null
                        ? checked(posix.dup(anchor), "dup the FIFO's descriptor")
                        : reopened(open(own, OpenFlags.O_WRONLY.intValue()));
            }

            private int reopened(int fd) throws IOException {
                checked(fd, "open " + fifo);
                requireSameOrClose(fd, accepted, fifo);
                return fd;
            }

            @Override
            public Guardian.Route guardianRoute() {
                if (tracking) {
                    return Guardian.Route.SERVER; // it takes back what a dead client held
                }
                return own != null ? Guardian.Route.path(own) : Guardian.Route.descriptor(new Spawn(posix, anchor));
            }
        };
    }

    /** An opened descriptor checked against what the rules accepted; closed when it is something else. */
    private void requireSameOrClose(int fd, FileFacts accepted, Path fifo) throws IOException {
        try {
            requireSame(accepted, describe(fd), "FIFO " + fifo + " was replaced while in use");
        } catch (IOException e) {
            posix.close(fd);
            throw e;
        }
    }

    private int open(String path, int flags) {
        return posix.open(path, flags | OpenFlags.O_CLOEXEC.intValue(), 0);
    }
}
