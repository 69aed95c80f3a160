package io.github.jobserver;

/**
 * What a back end found out about an open descriptor or a path: all that {@link PosixBackend}'s rules look
 * at. Back ends only gather these facts (from {@code /proc}, or {@code fstat}/{@code fcntl}); what they mean
 * is decided in one place.
 */
public final class FileFacts {
    /** {@link #accessMode()} when unknown, as for a path that is not open. */
    public static final int UNKNOWN = -1;

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;

    private final int mode;
    private final long dev;
    private final long ino;
    private final int uid;
    private final int accessMode;
    private final String target;

    private FileFacts(int mode, long dev, long ino, int uid, int accessMode, String target) {
        this.mode = mode;
        this.dev = dev;
        this.ino = ino;
        this.uid = uid;
        this.accessMode = accessMode;
        this.target = target;
    }

    /**
     * An open descriptor.
     *
     * @param mode st_mode (only the file type bits are read)
     * @param accessMode the O_ACCMODE bits of its open flags (0 read, 1 write, 2 both), or {@link #UNKNOWN}
     * @param target what it refers to, for messages (/proc's link: {@code pipe:[123]}, a jar's path), or null
     */
    public static FileFacts ofDescriptor(int mode, long dev, long ino, int uid, int accessMode, String target) {
        return new FileFacts(mode, dev, ino, uid, accessMode, target);
    }

    /** A path, as lstat(2) sees it (a symbolic link is not followed). */
    public static FileFacts ofPath(int mode, long dev, long ino, int uid) {
        return new FileFacts(mode, dev, ino, uid, UNKNOWN, null);
    }

    public boolean isFifo() {
        return FileKind.isFifo(mode);
    }

    /** "a regular file", "a pipe", ... for one-line explanations. */
    public String kind() {
        return FileKind.describe(mode);
    }

    /** The same file: the same device and inode (two ends of one pipe, or a FIFO opened twice). */
    public boolean sameFile(FileFacts other) {
        return other != null && dev == other.dev && ino == other.ino;
    }

    public int uid() {
        return uid;
    }

    public int accessMode() {
        return accessMode;
    }

    boolean readable() {
        return accessMode == O_RDONLY || accessMode == O_RDWR;
    }

    boolean writable() {
        return accessMode == O_WRONLY || accessMode == O_RDWR;
    }

    /** What the descriptor refers to, for messages; null when unknown. */
    public String target() {
        return target;
    }

    @Override
    public String toString() {
        return kind() + (target != null ? " (" + target + ")" : "") + " dev " + dev + " ino " + ino + " uid " + uid
                + " access " + accessMode;
    }
}
