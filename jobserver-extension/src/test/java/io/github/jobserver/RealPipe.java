package io.github.jobserver;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A real anonymous pipe of this JVM, with its fd numbers found through /proc, for tests. */
public final class RealPipe implements AutoCloseable {
    final Pipe pipe;
    final int readFd;
    final int writeFd;

    private RealPipe(Pipe pipe, int readFd, int writeFd) {
        this.pipe = pipe;
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    /**
     * Opens a pipe and finds its two fds. Other threads (jffi, the JIT) open and close fds at the same
     * time, so a new fd may carry a number that was open a moment before: the fds are found by the pipe's
     * inode (both ends share {@code pipe:[N]}), and a try that still misses is closed and made again.
     */
    public static RealPipe open() throws Exception {
        for (int attempt = 1; ; attempt++) {
            List<Integer> fds = new ArrayList<>();
            Pipe pipe = newFds(Pipe::open, fds);
            int[] ends = new int[2];
            String inode = null;
            for (int fd : fds) {
                String target = target(fd);
                if (target != null && target.startsWith("pipe:")) {
                    inode = target;
                }
            }
            int found = 0;
            for (int fd : inode == null ? new HashSet<Integer>() : openFds()) {
                if (inode.equals(target(fd))) {
                    found++;
                    ends[mode(fd) == 0 ? 0 : 1] = fd;
                }
            }
            if (found == 2 && ends[0] != 0 && ends[1] != 0) {
                return new RealPipe(pipe, ends[0], ends[1]);
            }
            pipe.sink().close();
            pipe.source().close();
            if (attempt == 10) {
                throw new IllegalStateException("could not find the pipe's fds among " + fds + " in 10 tries");
            }
        }
    }

    /** Where /proc says {@code fd} points, or null when it closed meanwhile. */
    static String target(int fd) throws IOException {
        try {
            return Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString();
        } catch (java.nio.file.NoSuchFileException e) {
            return null; // another thread's short-lived fd: not ours
        }
    }

    /** The access mode of {@code fd}: 0 read-only, 1 write-only, 2 read-write. */
    static int mode(int fd) throws IOException {
        String flags = new String(Files.readAllBytes(Paths.get("/proc/self/fdinfo/" + fd)), StandardCharsets.UTF_8);
        return Integer.parseInt(flags.replaceAll("(?s).*flags:\\s*([0-7]+).*", "$1"), 8) & 3;
    }

    /** Runs {@code open} and collects the descriptors it created (tests run one at a time). */
    static <T> T newFds(Callable<T> open, List<Integer> created) throws Exception {
        Set<Integer> before = openFds();
        T result = open.call();
        Set<Integer> after = openFds();
        after.removeAll(before);
        created.addAll(after);
        return result;
    }

    /**
     * The single descriptor {@code open} created that points where {@code targetPrefix} says (a path,
     * {@code socket:}); as with pipes, a try that other threads' fds hide is closed and made again.
     */
    static int newFd(Callable<? extends AutoCloseable> open, String targetPrefix) throws Exception {
        for (int attempt = 1; ; attempt++) {
            List<Integer> fds = new ArrayList<>();
            AutoCloseable made = newFds(open, fds);
            List<Integer> ours = new ArrayList<>();
            for (int fd : fds) {
                String target = target(fd);
                if (target != null && target.startsWith(targetPrefix)) {
                    ours.add(fd);
                }
            }
            if (ours.size() == 1) {
                return ours.get(0);
            }
            made.close();
            if (attempt == 10) {
                throw new IllegalStateException("expected one new fd to " + targetPrefix + ", got " + fds);
            }
        }
    }

    static Set<Integer> openFds() throws IOException {
        Set<Integer> fds;
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            fds = s.map(p -> Integer.valueOf(p.getFileName().toString()))
                    .collect(Collectors.toCollection(HashSet::new));
        }
        // the listing's own directory descriptor is closed by now
        fds.removeIf(fd -> !Files.exists(Paths.get("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        return fds;
    }

    /** The write end's descriptor number, for tests of code that hands it down. */
    public int writeFd() {
        return writeFd;
    }

    public JobserverAuth auth() {
        return JobserverAuth.pipe(readFd, writeFd);
    }

    public void put(String tokens) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(tokens.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            pipe.sink().write(b);
        }
    }

    /** Bytes waiting in the pipe, without reading them (FIONREAD). */
    public int count() throws IOException {
        return counter != null ? counter.available() : count(readFd);
    }

    /** A description of the pipe's read side kept for {@link #count()} once {@link #closeEnd} closed it. */
    private FileInputStream counter;

    /**
     * Closes one of the pipe's descriptors, as a process that inherited it might: a client that reopens
     * it through /proc finds it gone. The pipe itself lives on in a description kept for counting.
     */
    public void closeEnd(boolean readEnd) throws IOException {
        if (counter == null) {
            counter = new FileInputStream("/proc/self/fd/" + readFd);
        }
        if (readEnd) {
            pipe.source().close();
        } else {
            pipe.sink().close();
        }
    }

    static int count(int fd) throws IOException {
        try (FileInputStream in = new FileInputStream("/proc/self/fd/" + fd)) {
            return in.available();
        }
    }

    /** Reads everything waiting, sorted, so tests can compare the bytes that came back. */
    String drainSorted() throws IOException {
        int n = count();
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            pipe.source().read(b);
        }
        char[] chars = new String(b.array(), StandardCharsets.ISO_8859_1).toCharArray();
        java.util.Arrays.sort(chars);
        return new String(chars);
    }

    @Override
    public void close() throws IOException {
        pipe.sink().close();
        pipe.source().close();
        if (counter != null) {
            counter.close();
        }
    }
}
