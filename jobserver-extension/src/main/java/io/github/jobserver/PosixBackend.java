package io.github.jobserver;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The rules that make a pipe or a FIFO a jobserver, written once for every POSIX back end. A back end only
 * gathers {@link FileFacts} and opens what the rules accepted.
 *
 * <p>A pipe ({@code R,W}): both descriptors open, both pipes, the same pipe, R open for reading and W for
 * writing. Inherited descriptor numbers are not proof of anything: in a JVM started by a rule without
 * {@code +}, fds 3 and 4 are the JVM's own jars (docs/FACTS.md, "Inherited descriptors"). A FIFO: the path
 * is a FIFO itself (not a symbolic link to one) and belongs to this user.
 */
public abstract class PosixBackend implements Backend {

    /** Facts about a descriptor of this process; null when it is not open. */
    protected abstract FileFacts describe(int fd) throws IOException;

    /** Facts about a path, not following a symbolic link; null when nothing is there. */
    protected abstract FileFacts describe(Path path) throws IOException;

    /** The effective uid of this process. */
    protected abstract int effectiveUid();

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

    /** The FIFO rules; returns the facts of the FIFO. */
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
        if (!facts.isFifo()) {
            throw new NoJobserverException(
                    NoJobserver.Reason.NOT_A_FIFO, fifo + " is " + facts.kind() + ", not a FIFO");
        }
        int me = effectiveUid();
        if (facts.uid() != me) {
            throw new NoJobserverException(
                    NoJobserver.Reason.NOT_OWNER,
                    "FIFO " + fifo + " belongs to uid " + facts.uid() + ", not to this user (uid " + me + ")");
        }
        return facts;
    }

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
