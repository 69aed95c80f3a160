package io.github.jobserver;

/** The file type bits of st_mode, for validation and messages. */
final class FileKind {
    private static final int S_IFMT = 0170000;
    static final int S_IFIFO = 0010000;

    private FileKind() {}

    static boolean isFifo(int mode) {
        return (mode & S_IFMT) == S_IFIFO;
    }

    static boolean isRegularFile(int mode) {
        return (mode & S_IFMT) == 0100000;
    }

    static boolean isCharacterDevice(int mode) {
        return (mode & S_IFMT) == 0020000;
    }

    /** "a regular file", "a directory", ... for one-line explanations. */
    static String describe(int mode) {
        switch (mode & S_IFMT) {
            case S_IFIFO:
                return "a pipe";
            case 0120000:
                return "a symbolic link";
            case 0100000:
                return "a regular file";
            case 0040000:
                return "a directory";
            case 0140000:
                return "a socket";
            case 0020000:
                return "a character device";
            case 0060000:
                return "a block device";
            default:
                return "a file of type " + Integer.toOctalString(mode & S_IFMT);
        }
    }
}
