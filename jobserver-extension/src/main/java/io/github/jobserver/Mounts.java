package io.github.jobserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/**
 * The type of the file system a file lives on, from Linux's {@code /proc/self/mountinfo}: how a jobserver
 * served from user space through FUSE (type {@code fuse} or {@code fuse.NAME}) is told from a plain regular
 * file. A file is matched to its mount by device numbers (st_dev), not by path, so symbolic links, bind
 * mounts and paths with blanks need no resolving. Read only when a {@code fifo:PATH} names a regular file.
 */
final class Mounts {

    private static final String MOUNTINFO = "/proc/self/mountinfo";

    private Mounts() {}

    /** The type of the mounted file system with device numbers {@code major:minor}; null when unknown. */
    static String typeOf(String device) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Paths.get(MOUNTINFO), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null; // no /proc (another system, a container without it): nothing is known
        }
        return typeOf(device, lines);
    }

    /**
     * The type that {@code mountinfo}'s lines give the file system {@code major:minor}; the last line wins, as
     * the last mount on a point hides the ones before. Null when no line names it or a line is malformed.
     */
    static String typeOf(String device, List<String> mountinfo) {
        String type = null;
        for (String line : mountinfo) {
            // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw": the third field is the
            // device; the type is the first field after the lone "-" that ends the optional fields
            int first = line.indexOf(' ');
            int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
            int third = second < 0 ? -1 : line.indexOf(' ', second + 1);
            if (third < 0 || !line.substring(second + 1, third).equals(device)) {
                continue;
            }
            int separator = line.indexOf(" - ", third);
            if (separator < 0) {
                continue;
            }
            int start = separator + 3;
            int end = line.indexOf(' ', start);
            type = end < 0 ? line.substring(start) : line.substring(start, end);
        }
        return type == null || type.isEmpty() ? null : type;
    }

    /** Whether a file system of this type is served by a user-space program through FUSE. */
    static boolean isFuse(String type) {
        return type != null && (type.equals("fuse") || type.startsWith("fuse."));
    }
}
