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
    /** {@link #accessMode()} of a descriptor open for reading and writing. */
    public static final int O_RDWR = 2;

    private final int mode;
    private final long dev;
    private final long ino;
    private final int uid;
    private final int gid;
    private final long rdev;
    private final int accessMode;
    private final String target;

    private FileFacts(int mode, long dev, long ino, int uid, int gid, long rdev, int accessMode, String target) {
        this.mode = mode;
        this.dev = dev;
        this.ino = ino;
        this.uid = uid;
        this.gid = gid;
        this.rdev = rdev;
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
        return new FileFacts(mode, dev, ino, uid, UNKNOWN, 0, accessMode, target);
    }

    /**
     * A path, as lstat(2) sees it (a symbolic link is not followed).
     *
     * @param mode st_mode: the file type and the permission bits
     * @param rdev the device a character or block device node stands for (st_rdev); 0 otherwise
     */
    public static FileFacts ofPath(int mode, long dev, long ino, int uid, int gid, long rdev) {
        return new FileFacts(mode, dev, ino, uid, gid, rdev, UNKNOWN, null);
    }

    public boolean isFifo() {
        return FileKind.isFifo(mode);
    }

    public boolean isRegularFile() {
        return FileKind.isRegularFile(mode);
    }

    public boolean isCharacterDevice() {
        return FileKind.isCharacterDevice(mode);
    }

    /** The permission bits (rwxrwxrwx). */
    int permissions() {
        return mode & 0777;
    }

    public int gid() {
        return gid;
    }

    /** The Linux major number of the device a device node stands for (new_encode_dev of the kernel). */
    int major() {
        return major(rdev);
    }

    int minor() {
        return minor(rdev);
    }

    /**
     * The device numbers of the file system the file is on (st_dev), written {@code major:minor} as
     * {@code /proc/self/mountinfo} writes them.
     */
    String fileSystemDevice() {
        return major(dev) + ":" + minor(dev);
    }

    private static int major(long device) {
        return (int) (((device >>> 8) & 0xfff) | ((device >>> 32) & ~0xfffL));
    }

    private static int minor(long device) {
        return (int) ((device & 0xff) | ((device >>> 12) & ~0xffL));
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
                + " gid " + gid + " mode " + Integer.toOctalString(mode) + " access " + accessMode;
    }
}
