package io.github.jobserver.backend.proc;

import io.github.jobserver.Endpoint;
import io.github.jobserver.FileFacts;
import io.github.jobserver.Guardian;
import io.github.jobserver.PosixBackend;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringTokenizer;

/**
 * Linux back end in plain Java: {@code /proc/self/fd} says what a descriptor is, and reopening
 * {@code /proc/self/fd/N} gives a new open file description, so make's own (shared, O_NONBLOCK since
 * make 4.3) description is never read through nor changed. Loads nothing native.
 */
public final class ProcBackend extends PosixBackend {

    private static final int O_ACCMODE = 3;

    @Override
    public String name() {
        return "proc";
    }

    @Override
    protected FileFacts describe(int fd) throws IOException {
        Path link = Paths.get("/proc/self/fd/" + fd);
        try {
            String target = Files.readSymbolicLink(link).toString();
            Map<String, Object> attrs = Files.readAttributes(link, "unix:mode,dev,ino,uid");
            return FileFacts.ofDescriptor(
                    (Integer) attrs.get("mode"),
                    (Long) attrs.get("dev"),
                    (Long) attrs.get("ino"),
                    (Integer) attrs.get("uid"),
                    accessMode(fd),
                    target);
        } catch (NoSuchFileException e) {
            return null; // not open (or closed while we looked)
        }
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

    @Override
    protected FileFacts describe(Path path) throws IOException {
        try {
            Map<String, Object> attrs =
                    Files.readAttributes(path, "unix:mode,dev,ino,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
            return FileFacts.ofPath(
                    (Integer) attrs.get("mode"),
                    (Long) attrs.get("dev"),
                    (Long) attrs.get("ino"),
                    (Integer) attrs.get("uid"),
                    (Integer) attrs.get("gid"),
                    (Long) attrs.get("rdev"));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The owner of /proc/self. */
    @Override
    protected int effectiveUid() {
        try {
            return (Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
        } catch (IOException e) {
            return -1;
        }
    }

    /** The effective gid and the supplementary groups, from /proc/self/status. */
    @Override
    protected Set<Integer> groups() {
        Set<Integer> groups = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                // a StringTokenizer, not split's regex: docs/FACTS.md, "Code on the start-up path"
                StringTokenizer words = new StringTokenizer(line);
                String name = words.hasMoreTokens() ? words.nextToken() : "";
                if (name.equals("Gid:") && words.hasMoreTokens()) {
                    words.nextToken(); // the real gid; the effective one follows
                    if (words.hasMoreTokens()) {
                        groups.add(Integer.parseInt(words.nextToken()));
                    }
                } else if (name.equals("Groups:")) {
                    while (words.hasMoreTokens()) {
                        groups.add(Integer.parseInt(words.nextToken()));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no groups known: only this user's and world-open FIFOs are taken
        }
        return groups;
    }

    @Override
    protected Endpoint openPipe(int readFd, int writeFd, FileFacts pipe) {
        return new PipeEndpoint(readFd, writeFd, pipe);
    }

    /** An inherited pipe, reopened through /proc for every private description. */
    private final class PipeEndpoint extends ProcEndpoint {
        private final int readFd;
        private final int writeFd;
        private final FileFacts pipe;

        PipeEndpoint(int readFd, int writeFd, FileFacts pipe) {
            super("pipe " + readFd + "," + writeFd, null, true);
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

        @Override
        public Guardian.Route guardianRoute() throws IOException {
            return Guardian.Route.path(reopenable(writeFd).toString());
        }

        /** The /proc link of fd, after checking it still is the accepted pipe (we never close it, others might). */
        private Path reopenable(int fd) throws IOException {
            requireSame(pipe, describe(fd), "fd " + fd + " no longer refers to the jobserver pipe");
            return Paths.get("/proc/self/fd/" + fd);
        }
    }

    @Override
    protected Endpoint openFifo(Path fifo, FileFacts accepted) throws IOException {
        // O_RDWR never blocks on a FIFO on Linux (fifo(7)), whether or not a server holds it, and keeps
        // a reader and a writer alive so the later read-only and write-only opens do not block either.
        Set<Integer> before = descriptorsOf(fifo, accepted);
        FileChannel anchor =
                FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            requireSameFifo(fifo, accepted);
            Set<Integer> after = descriptorsOf(fifo, accepted);
            after.removeAll(before);
            int anchorFd = after.size() == 1 ? after.iterator().next() : -1;
            return new FifoEndpoint(fifo, accepted, anchor, anchorFd);
        } catch (IOException | RuntimeException e) {
            anchor.close();
            throw e;
        }
    }

    /**
     * This process's read-write descriptors of the accepted FIFO. The anchor is the one that is new after
     * opening it (another thread opening the same FIFO meanwhile makes two: then none is taken).
     */
    private Set<Integer> descriptorsOf(Path fifo, FileFacts accepted) throws IOException {
        Set<Integer> found = new HashSet<>();
        String name = fifo.getFileName().toString();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            for (Path link : fds) {
                Path target;
                try {
                    target = Files.readSymbolicLink(link);
                } catch (IOException e) {
                    continue; // closed while we looked
                }
                if (target.getFileName() == null
                        || !target.getFileName().toString().equals(name)) {
                    continue; // not a file of that name: no stat needed
                }
                int fd = Integer.parseInt(link.getFileName().toString());
                FileFacts facts = describe(fd);
                if (facts != null && facts.sameFile(accepted) && facts.accessMode() == FileFacts.O_RDWR) {
                    found.add(fd);
                }
            }
        }
        return found;
    }

    /**
     * A FIFO reopened for every private description through this process's own read-write descriptor of it
     * ({@code /proc/self/fd/N}), so the FIFO's path may be removed or replaced while in use (a {@code /tmp}
     * cleaner) without losing a token; by path, each time checked to be the same FIFO, where that
     * descriptor was not found.
     */
    private final class FifoEndpoint extends ProcEndpoint {
        private final Path fifo;
        private final FileFacts accepted;
        private final int anchorFd;
        private final Path own;

        FifoEndpoint(Path fifo, FileFacts accepted, FileChannel anchor, int anchorFd) {
            super("fifo " + fifo, anchor, !tracksClients(accepted));
            this.fifo = fifo;
            this.accepted = accepted;
            this.anchorFd = anchorFd;
            this.own = anchorFd < 0 ? null : Paths.get("/proc/self/fd/" + anchorFd);
        }

        /** The anchor's /proc link, after checking the number still is the anchor (it is ours until close). */
        private Path own() throws IOException {
            requireSame(accepted, describe(anchorFd), "fd " + anchorFd + " no longer refers to FIFO " + fifo);
            return own;
        }

        @Override
        FileInputStream openReadStream() throws IOException {
            if (own != null) {
                return new FileInputStream(own().toString());
            }
            requireSameFifo(fifo, accepted);
            FileInputStream in = new FileInputStream(fifo.toFile());
            try {
                requireSameFifo(fifo, accepted);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return in;
        }

        @Override
        FileChannel openWriteChannel() throws IOException {
            if (own != null) {
                return FileChannel.open(own(), StandardOpenOption.WRITE);
            }
            requireSameFifo(fifo, accepted);
            return FileChannel.open(fifo, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public Guardian.Route guardianRoute() throws IOException {
            if (tracksClients(accepted)) {
                return Guardian.Route.SERVER; // it takes back what a dead client held
            }
            return Guardian.Route.path(own != null ? own().toString() : fifo.toString());
        }
    }

    private void requireSameFifo(Path fifo, FileFacts accepted) throws IOException {
        requireSame(accepted, describe(fifo), "FIFO " + fifo + " was replaced while in use");
    }
}
