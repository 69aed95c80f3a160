package io.github.jobserver;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a jobserver lives, as advertised in {@code --jobserver-auth=}: a pipe given as two inherited
 * file descriptors ({@code R,W}), a named FIFO ({@code fifo:PATH}, GNU make 4.4+), or a Windows named
 * semaphore (parsed so that the {@link Backend} can say it cannot use one; no back end here opens one).
 *
 * <p>This is only a description: nothing has been checked or opened. {@link Jobserver#connect}
 * proves it is really a jobserver before any byte is read or written.
 */
public final class JobserverAuth {

    /** The three ways make advertises a jobserver. */
    public enum Style {
        /** Inherited pipe descriptors {@code R,W} (every make; the only style of make 4.3 and older). */
        PIPE,
        /** A named pipe, {@code fifo:PATH} (make 4.4+ default; the only style ninja 1.13 reads). */
        FIFO,
        /** A Windows named semaphore: recognised, unsupported on this platform. */
        SEMAPHORE
    }

    private final Style style;
    private final int readFd;
    private final int writeFd;
    private final String name;

    private JobserverAuth(Style style, int readFd, int writeFd, String name) {
        this.style = style;
        this.readFd = readFd;
        this.writeFd = writeFd;
        this.name = name;
    }

    /** A pipe jobserver on inherited descriptors; both must be non-negative. */
    public static JobserverAuth pipe(int readFd, int writeFd) {
        if (readFd < 0 || writeFd < 0) {
            throw new IllegalArgumentException("negative fd: " + readFd + "," + writeFd);
        }
        return new JobserverAuth(Style.PIPE, readFd, writeFd, null);
    }

    /** A FIFO jobserver at an absolute path. */
    public static JobserverAuth fifo(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("FIFO path must be absolute: " + path);
        }
        return new JobserverAuth(Style.FIFO, -1, -1, path.toString());
    }

    /** A Windows named semaphore jobserver ({@code gmake_semaphore_1234}). */
    public static JobserverAuth semaphore(String name) {
        return new JobserverAuth(Style.SEMAPHORE, -1, -1, Objects.requireNonNull(name));
    }

    public Style style() {
        return style;
    }

    /** The read descriptor of a {@link Style#PIPE} jobserver. */
    public int readFd() {
        requireStyle(Style.PIPE);
        return readFd;
    }

    /** The write descriptor of a {@link Style#PIPE} jobserver. */
    public int writeFd() {
        requireStyle(Style.PIPE);
        return writeFd;
    }

    /** The path of a {@link Style#FIFO} jobserver. */
    public Path fifoPath() {
        requireStyle(Style.FIFO);
        return java.nio.file.Paths.get(name);
    }

    /** The semaphore name of a {@link Style#SEMAPHORE} jobserver. */
    public String semaphoreName() {
        requireStyle(Style.SEMAPHORE);
        return name;
    }

    /** The value that follows {@code --jobserver-auth=} in MAKEFLAGS. */
    public String toAuthValue() {
        switch (style) {
            case PIPE:
                return readFd + "," + writeFd;
            case FIFO:
                return "fifo:" + name;
            default:
                return name;
        }
    }

    private void requireStyle(Style expected) {
        if (style != expected) {
            throw new IllegalStateException("not a " + expected + " jobserver: " + this);
        }
    }

    /** Human form for logs: {@code pipe 3,4}, {@code fifo /tmp/GMfifo42}, {@code semaphore NAME}. */
    @Override
    public String toString() {
        switch (style) {
            case PIPE:
                return "pipe " + readFd + "," + writeFd;
            case FIFO:
                return "fifo " + name;
            default:
                return "semaphore " + name;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof JobserverAuth)) {
            return false;
        }
        JobserverAuth other = (JobserverAuth) o;
        return style == other.style
                && readFd == other.readFd
                && writeFd == other.writeFd
                && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(style, readFd, writeFd, name);
    }
}
