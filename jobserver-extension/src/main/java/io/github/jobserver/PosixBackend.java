package io.github.jobserver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules that make a pipe or a FIFO a jobserver, written once for every POSIX back end. A back end only
 * gathers {@link FileFacts} and opens what the rules accepted.
 *
 * <p>A pipe ({@code R,W}): both descriptors open, both pipes, the same pipe, R open for reading and W for
 * writing. Inherited descriptor numbers are not proof of anything: in a JVM started by a rule without
 * {@code +}, fds 3 and 4 are the JVM's own jars (docs/FACTS.md, "Inherited descriptors"). A path: see
 * {@link #checkFifo}.
 */
public abstract class PosixBackend implements Backend {

    /** Facts about a descriptor of this process; null when it is not open. */
    protected abstract FileFacts describe(int fd) throws IOException;

    /** Facts about a path, not following a symbolic link; null when nothing is there. */
    protected abstract FileFacts describe(Path path) throws IOException;

    /** The effective uid of this process. */
    protected abstract int effectiveUid();

    /** The groups of this process: its effective gid and its supplementary groups. */
    protected abstract Set<Integer> groups();

    /** Opens a pipe the rules accepted; {@code pipe} is what its read end was found to be. */
    protected abstract Endpoint openPipe(int readFd, int writeFd, FileFacts pipe) throws IOException;

    /**
     * Opens a FIFO the rules accepted, without blocking whether or not a server holds it; {@code fifo} is
     * what the path was found to be (check each open against it: the path may be replaced meanwhile).
     */
    protected abstract Endpoint openFifo(Path path, FileFacts fifo) throws IOException;

    @Override
    public final Endpoint open(JobserverAuth auth) throws NoJobserverException, IOException {
        switch (auth.style()) {
            case PIPE:
                return openPipe(auth.readFd(), auth.writeFd(), checkPipe(auth.readFd(), auth.writeFd()));
            case FIFO:
                return openFifo(auth.fifoPath(), checkFifo(auth.fifoPath()));
            default:
                throw new NoJobserverException(
                        NoJobserver.Reason.UNSUPPORTED,
                        auth + ": a Windows semaphore jobserver, not usable on this platform");
        }
    }

    /** The pipe rules; returns the facts of the read end. */
    final FileFacts checkPipe(int readFd, int writeFd) throws NoJobserverException {
        FileFacts r;
        FileFacts w;
        try {
            r = describe(readFd);
            w = r == null ? null : describe(writeFd);
        } catch (IOException | RuntimeException e) {
            throw new NoJobserverException(
                    NoJobserver.Reason.CANNOT_OPEN, "cannot inspect fds " + readFd + "," + writeFd + ": " + e);
        }
        if (r == null || w == null) {
            throw new NoJobserverException(
                    NoJobserver.Reason.CLOSED_FD, "fd " + (r == null ? readFd : writeFd) + " is not open");
        }
        checkIsPipe(readFd, r);
        checkIsPipe(writeFd, w);
        if (!r.sameFile(w)) {
            throw new NoJobserverException(
                    NoJobserver.Reason.DIFFERENT_PIPES,
                    "fds " + readFd + " and " + writeFd + " are different pipes"
                            + (r.target() != null ? " (" + r.target() + ", " + w.target() + ")" : ""));
        }
        if (!r.readable()) {
            throw new NoJobserverException(
                    NoJobserver.Reason.WRONG_ACCESS_MODE, "fd " + readFd + " is not open for reading");
        }
        if (!w.writable()) {
            throw new NoJobserverException(
                    NoJobserver.Reason.WRONG_ACCESS_MODE, "fd " + writeFd + " is not open for writing");
        }
        return r;
    }

    private static void checkIsPipe(int fd, FileFacts facts) throws NoJobserverException {
        if (!facts.isFifo()) {
            throw new NoJobserverException(
                    NoJobserver.Reason.NOT_A_PIPE,
                    "fd " + fd + " is " + facts.kind() + (facts.target() != null ? " (" + facts.target() + ")" : "")
                            + ", not a pipe");
        }
    }

    /**
     * The rules for a jobserver named by a path ({@code fifo:PATH}): make's FIFO, or what a system jobserver
     * serves from user space: a character device (Gentoo's steve: {@code /dev/steve}, root's, shared through a
     * group; guildmaster) or a file on a FUSE file system (the nixos jobserver). It must be the FIFO, device or
     * file itself (not a symbolic link to one), not a device that can never be a jobserver (the kernel's memory
     * devices: {@code /dev/null} reads EOF at once, {@code /dev/zero} endless tokens; a terminal), not a
     * regular file that no program serves, and open to this user for reading and writing: this user's, or by
     * its group or world bits.
     * Permission bits decide, not what root could override: root does not take another user's private FIFO.
     */
    final FileFacts checkFifo(Path fifo) throws NoJobserverException {
        FileFacts facts;
        try {
            facts = describe(fifo);
        } catch (IOException | RuntimeException e) {
            throw new NoJobserverException(NoJobserver.Reason.CANNOT_OPEN, "cannot inspect FIFO " + fifo + ": " + e);
        }
        if (facts == null) {
            throw new NoJobserverException(NoJobserver.Reason.MISSING_FIFO, "FIFO " + fifo + " does not exist");
        }
        if (facts.isCharacterDevice()) {
            refuseKernelDevices(fifo, facts);
        } else if (facts.isRegularFile()) {
            requireFuse(fifo, facts);
        } else if (!facts.isFifo()) {
            throw new NoJobserverException(
                    NoJobserver.Reason.NOT_A_FIFO, fifo + " is " + facts.kind() + ", not a FIFO");
        }
        int me = effectiveUid();
        if (facts.uid() != me && !openByMode(facts, groups())) {
            throw new NoJobserverException(
                    NoJobserver.Reason.NOT_OWNER,
                    (facts.isFifo() ? "FIFO " : facts.isCharacterDevice() ? "device " : "file ") + fifo
                            + " belongs to uid " + facts.uid()
                            + " and is not open for reading and writing to this user (uid " + me + ", mode "
                            + Integer.toOctalString(facts.permissions()) + ")");
        }
        return facts;
    }

    /**
     * Whether the server of an accepted jobserver tracks its clients and takes back what a dead one held: a
     * character device or a FUSE file is served by a program (steve, guildmaster, the nixos jobserver), which
     * sees every read and write and when its client ends; a pipe or a FIFO is a kernel buffer, which sees
     * nothing. Such a server's FIONREAD says nothing (for a FUSE file the kernel answers from the file's size,
     * 0), so its endpoints say "unknown", and no guardian starts: it would write a dead JVM's tokens back a
     * second time, from a process that never read them.
     */
    protected static boolean tracksClients(FileFacts accepted) {
        return !accepted.isFifo();
    }

    /**
     * The type of the file system {@code facts}' file lives on ({@code ext4}, {@code fuse.steve}), or null
     * when unknown; Linux's {@code /proc/self/mountinfo} by default.
     */
    protected String fileSystemType(FileFacts facts) {
        return Mounts.typeOf(facts.fileSystemDevice());
    }

    /**
     * A regular file is a jobserver only where a program serves it through FUSE (the nixos jobserver); on any
     * other file system its reads never wait (EOF at once, or its bytes taken as tokens).
     */
    private void requireFuse(Path path, FileFacts facts) throws NoJobserverException {
        String type = fileSystemType(facts);
        if (!Mounts.isFuse(type)) {
            throw new NoJobserverException(
                    NoJobserver.Reason.NOT_A_FIFO,
                    path + " is a regular file"
                            + (type == null ? ", not a FIFO" : " on " + type + ", not a FIFO nor a FUSE jobserver"));
        }
    }

    /** Another user's FIFO or device that this user may read and write by its group or world bits. */
    static boolean openByMode(FileFacts facts, Set<Integer> groups) {
        int bits = facts.permissions();
        return (bits & 0006) == 0006 || (bits & 0060) == 0060 && groups.contains(facts.gid());
    }

    /** Character devices that can never be a jobserver, by what they are (Linux numbers) and by name. */
    private static void refuseKernelDevices(Path path, FileFacts facts) throws NoJobserverException {
        int major = facts.major();
        String name = path.toString();
        String numbers = major + "," + facts.minor();
        if (major == 1 || MEMORY_DEVICES.contains(name)) {
            throw new NoJobserverException(
                    NoJobserver.Reason.NOT_A_FIFO,
                    path + " is a character device of the kernel's memory driver (" + numbers + ")"
                            + ", not a jobserver: it never waits (EOF at once, or endless bytes)");
        }
        if (major == 4
                || major == 5
                || major >= 136 && major <= 143
                || name.startsWith("/dev/tty")
                || name.startsWith("/dev/pts/")
                || name.equals("/dev/console")) {
            throw new NoJobserverException(
                    NoJobserver.Reason.NOT_A_FIFO,
                    path + " is a terminal (a character device " + numbers + "), not a jobserver");
        }
    }

    private static final Set<String> MEMORY_DEVICES = new HashSet<>(Arrays.asList(
            "/dev/null",
            "/dev/zero",
            "/dev/full",
            "/dev/random",
            "/dev/urandom",
            "/dev/mem",
            "/dev/kmem",
            "/dev/port",
            "/dev/kmsg"));

    /**
     * The one check an endpoint makes each time it opens the jobserver again: what it opened (or the
     * descriptor or path it is about to open) is still the file the rules accepted.
     *
     * @param now the facts gathered now; null when the descriptor or path is gone
     * @throws IOException with {@code problem} as its message when it is not
     */
    public static void requireSame(FileFacts accepted, FileFacts now, String problem) throws IOException {
        if (!accepted.sameFile(now)) {
            throw new IOException(problem);
        }
    }
}
