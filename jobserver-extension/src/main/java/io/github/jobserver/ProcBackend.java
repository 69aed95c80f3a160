package io.github.jobserver;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Linux back end in plain Java: {@code /proc/self/fd} proves what a descriptor is, and reopening
 * {@code /proc/self/fd/N} gives a new open file description, so make's own (shared, O_NONBLOCK since
 * make 4.3) description is never read through nor changed. Loads nothing native.
 */
final class ProcBackend extends Backend {

    private static final int O_ACCMODE = 3;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;

    @Override
    String name() {
        return "proc";
    }

    /** What /proc says about one descriptor of this process. */
    static final class FdFacts {
        final int fd;
        final String target;
        final int mode;
        final Object dev;
        final Object ino;
        final int accessMode;

        private FdFacts(int fd, String target, int mode, Object dev, Object ino, int accessMode) {
            this.fd = fd;
            this.target = target;
            this.mode = mode;
            this.dev = dev;
            this.ino = ino;
            this.accessMode = accessMode;
        }

        /** Reads the facts; throws NoSuchFileException when the descriptor is not open. */
        static FdFacts of(int fd) throws IOException {
            Path link = Paths.get("/proc/self/fd/" + fd);
            String target = Files.readSymbolicLink(link).toString();
            Map<String, Object> attrs = Files.readAttributes(link, "unix:mode,dev,ino");
            return new FdFacts(fd, target, (Integer) attrs.get("mode"), attrs.get("dev"), attrs.get("ino"),
                    accessMode(fd));
        }

        private static int accessMode(int fd) throws IOException {
            List<String> lines = Files.readAllLines(Paths.get("/proc/self/fdinfo/" + fd));
            for (String line : lines) {
                if (line.startsWith("flags:")) {
                    return Integer.parseInt(line.substring("flags:".length()).trim(), 8) & O_ACCMODE;
                }
            }
            throw new IOException("no flags in /proc/self/fdinfo/" + fd);
        }

        boolean samePipe(FdFacts other) {
            return dev.equals(other.dev) && ino.equals(other.ino);
        }

        boolean readable() {
            return accessMode != O_WRONLY;
        }

        boolean writable() {
            return accessMode != O_RDONLY;
        }
    }

    @Override
    NoJobserver checkPipe(int readFd, int writeFd) {
        FdFacts r;
        FdFacts w;
        try {
            r = FdFacts.of(readFd);
            w = FdFacts.of(writeFd);
        } catch (NoSuchFileException e) {
            return new NoJobserver(NoJobserver.Reason.CLOSED_FD,
                    "fd " + e.getFile().replace("/proc/self/fd/", "").replace("/proc/self/fdinfo/", "")
                            + " is not open");
        } catch (IOException | RuntimeException e) {
            return new NoJobserver(NoJobserver.Reason.CANNOT_OPEN,
                    "cannot inspect fds " + readFd + "," + writeFd + ": " + e);
        }
        for (FdFacts f : new FdFacts[] {r, w}) {
            if (!FileKind.isFifo(f.mode)) {
                return new NoJobserver(NoJobserver.Reason.NOT_A_PIPE,
                        "fd " + f.fd + " is " + FileKind.describe(f.mode) + " (" + f.target + "), not a pipe");
            }
        }
        if (!r.samePipe(w)) {
            return new NoJobserver(NoJobserver.Reason.DIFFERENT_PIPES,
                    "fds " + readFd + " and " + writeFd + " are different pipes (" + r.target + ", " + w.target + ")");
        }
        if (!r.readable() || !w.writable()) {
            return new NoJobserver(NoJobserver.Reason.WRONG_ACCESS_MODE, "fd " + (r.readable() ? writeFd
                    + " is not open for writing" : readFd + " is not open for reading"));
        }
        return null;
    }

    @Override
    Endpoint openPipe(int readFd, int writeFd) throws IOException {
        return new PipeEndpoint(readFd, writeFd, FdFacts.of(readFd));
    }

    /** An inherited pipe, reopened through /proc for every private description. */
    private static final class PipeEndpoint extends ProcEndpoint {
        private final int readFd;
        private final int writeFd;
        private final FdFacts pipe;

        PipeEndpoint(int readFd, int writeFd, FdFacts pipe) {
            super("pipe " + readFd + "," + writeFd, null);
            this.readFd = readFd;
            this.writeFd = writeFd;
            this.pipe = pipe;
        }

        @Override
        FileInputStream openReadStream() throws IOException {
            return new FileInputStream(reopenable(readFd).toString());
        }

        @Override
        FileChannel openWriteChannel() throws IOException {
            return FileChannel.open(reopenable(writeFd), StandardOpenOption.WRITE);
        }

        /** The /proc link of fd, after checking it still is the validated pipe (we never close it, others might). */
        private Path reopenable(int fd) throws IOException {
            if (!pipe.samePipe(FdFacts.of(fd))) {
                throw new IOException("fd " + fd + " no longer refers to the jobserver pipe");
            }
            return Paths.get("/proc/self/fd/" + fd);
        }
    }

    @Override
    NoJobserver checkFifo(Path fifo) {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(fifo, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new NoJobserver(NoJobserver.Reason.MISSING_FIFO, "FIFO " + fifo + " does not exist");
        } catch (IOException | RuntimeException e) {
            return new NoJobserver(NoJobserver.Reason.CANNOT_OPEN, "cannot inspect FIFO " + fifo + ": " + e);
        }
        int mode = (Integer) attrs.get("mode");
        if (!FileKind.isFifo(mode)) {
            return new NoJobserver(NoJobserver.Reason.NOT_A_FIFO, fifo + " is " + FileKind.describe(mode) + ", not a FIFO");
        }
        int owner = (Integer) attrs.get("uid");
        int me = currentUid();
        if (owner != me) {
            return new NoJobserver(NoJobserver.Reason.NOT_OWNER,
                    "FIFO " + fifo + " belongs to uid " + owner + ", not to this user (uid " + me + ")");
        }
        return null;
    }

    @Override
    Endpoint openFifo(Path fifo) throws IOException {
        Object key = fifoKey(fifo);
        // O_RDWR never blocks on a FIFO on Linux (fifo(7)), whether or not a server holds it, and keeps
        // a reader and a writer alive so the later read-only and write-only opens do not block either.
        FileChannel anchor = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        try {
            requireSameFifo(fifo, key);
        } catch (IOException e) {
            anchor.close();
            throw e;
        }
        return new FifoEndpoint(fifo, key, anchor);
    }

    /** A FIFO reopened by path for every private description, each time checked to be the same FIFO. */
    private static final class FifoEndpoint extends ProcEndpoint {
        private final Path fifo;
        private final Object key;

        FifoEndpoint(Path fifo, Object key, FileChannel anchor) {
            super("fifo " + fifo, anchor);
            this.fifo = fifo;
            this.key = key;
        }

        @Override
        FileInputStream openReadStream() throws IOException {
            requireSameFifo(fifo, key);
            FileInputStream in = new FileInputStream(fifo.toFile());
            try {
                requireSameFifo(fifo, key);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return in;
        }

        @Override
        FileChannel openWriteChannel() throws IOException {
            requireSameFifo(fifo, key);
            return FileChannel.open(fifo, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static Object fifoKey(Path fifo) throws IOException {
        return Files.readAttributes(fifo, "unix:dev,ino,mode", LinkOption.NOFOLLOW_LINKS);
    }

    private static void requireSameFifo(Path fifo, Object key) throws IOException {
        if (!key.equals(fifoKey(fifo))) {
            throw new IOException("FIFO " + fifo + " was replaced while in use");
        }
    }

    /** The effective uid of this process: the owner of /proc/self. */
    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
        } catch (IOException e) {
            return -1;
        }
    }
}
