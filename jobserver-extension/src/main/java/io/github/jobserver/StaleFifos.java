package io.github.jobserver;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;

/**
 * The directories of {@link PrivateFifo}s whose JVM was killed (SIGKILL) before it could remove them, found by
 * their names and removed by the next server of the same user. A name {@code jobserver-PID.NS-RANDOM} says
 * which process made it: its pid and its pid namespace (a pid means nothing in another namespace, such as
 * another container sharing {@code $TMPDIR}). One is removed only when all of this holds: it is a directory
 * (never a link followed) of this user, its namespace is this JVM's, {@code /proc/PID} is gone, and it holds
 * nothing but a FIFO named {@code fifo}. Where {@code /proc} cannot say (not Linux), nothing is named or removed.
 */
final class StaleFifos {
    private static final String START = "jobserver-";
    private static final String FIFO = "fifo";

    private StaleFifos() {}

    /** The start of a new directory's name: {@code jobserver-PID.NS-}, or {@code jobserver-} where /proc cannot say. */
    static String prefix() {
        String ns = pidNamespace();
        String pid = ProcessHandleCompat.pid();
        return ns == null || !digits(pid) ? START : START + pid + "." + ns + "-";
    }

    /**
     * Removes the stale directories in {@code parent}, judged against {@code ours} (the directory just made,
     * whose owner is this user); never fails.
     *
     * @return how many were removed
     */
    static int remove(Path parent, Path ours) {
        String ns = pidNamespace();
        if (ns == null) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            UserPrincipal user = Files.getOwner(ours, LinkOption.NOFOLLOW_LINKS);
            for (Path entry : entries) {
                String pid = deadPid(entry.getFileName().toString(), ns);
                if (pid != null && !entry.equals(ours) && removeIfOurs(entry, user)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a directory we cannot list or judge is left as it is
        }
        return removed;
    }

    /** The pid in {@code name} when it names a server directory of namespace {@code ns} whose process is gone. */
    static String deadPid(String name, String ns) {
        if (!name.startsWith(START)) {
            return null;
        }
        int dot = name.indexOf('.', START.length());
        int dash = dot < 0 ? -1 : name.indexOf('-', dot);
        if (dash < 0) {
            return null;
        }
        String pid = name.substring(START.length(), dot);
        boolean named = digits(pid) && ns.equals(name.substring(dot + 1, dash)) && digits(name.substring(dash + 1));
        return named && !Files.exists(Paths.get("/proc", pid)) ? pid : null;
    }

    /** Removes {@code dir} and its FIFO when it is a directory of {@code user} holding nothing else. */
    private static boolean removeIfOurs(Path dir, UserPrincipal user) {
        try {
            PosixFileAttributes attributes =
                    Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory() || !user.equals(attributes.owner())) {
                return false;
            }
            Path fifo = null;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    if (fifo != null || !isFifo(entry, user)) {
                        return false; // anything but its one FIFO: not a server's directory, or not only
                    }
                    fifo = entry;
                }
            }
            if (fifo != null) {
                Files.delete(fifo);
            }
            Files.delete(dir); // fails, and leaves it, when something came in meanwhile
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code entry} is a FIFO named {@code fifo} of {@code user}, as a server makes it. */
    private static boolean isFifo(Path entry, UserPrincipal user) throws IOException {
        PosixFileAttributes f = Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        // a FIFO is "other": not a file, a directory or a link
        return FIFO.equals(entry.getFileName().toString()) && f.isOther() && user.equals(f.owner());
    }

    private static boolean digits(String s) {
        return MakeFlagsWords.isDigits(s, 20);
    }

    /** This process's pid namespace, the inode in {@code /proc/self/ns/pid -> pid:[4026531836]}; null off Linux. */
    static String pidNamespace() {
        try {
            String link = Files.readSymbolicLink(Paths.get("/proc/self/ns/pid")).toString();
            int open = link.indexOf('[');
            int close = link.indexOf(']');
            String inode = open >= 0 && close > open ? link.substring(open + 1, close) : "";
            return digits(inode) ? inode : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
