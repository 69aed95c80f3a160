package io.github.jobserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a command as a client of a jobserver, in the style it understands, without ever adding
 * {@code -jN} to its command line.
 *
 * <p>The child is given the jobserver in the {@link JobserverAuth.Style} it reads, whatever style this process
 * holds it in. {@link JobserverAuth.Style#FIFO}: {@code --jobserver-auth=fifo:PATH} (make 4.4+, ninja 1.13+,
 * cargo). {@link JobserverAuth.Style#PIPE}: the child gets the jobserver on descriptor 3 and
 * {@code --jobserver-auth=3,3} (make 4.3 and older, and any client that reads R,W). A JVM cannot hand
 * its own descriptors to a child ({@code ProcessBuilder} closes every fd from 3 up:
 * docs/FACTS.md, "What the JVM cannot do"), so a
 * {@code /bin/sh} shim opens the jobserver read-write on fd 3 in the child and then execs the command:
 * the FIFO by path, or an inherited pipe through {@code /proc/PID/fd/R} of this JVM (Linux). That path
 * opens the pipe itself (a new description of it, as a FIFO's path would), so a FIFO-only client is given
 * make 4.3's pipe as {@code fifo:/proc/PID/fd/R}: ninja 1.13.2 joins it and keeps to its limit (measured).
 */
public final class ClientLauncher {

    /** The descriptor the shim places the jobserver on in the child. */
    static final int CHILD_FD = 3;

    private static final String SHIM = "exec " + CHILD_FD + "<>\"$1\" || exit 127; shift; exec \"$@\"";

    private ClientLauncher() {}

    /**
     * Makes {@code builder}'s command a client of {@code auth}: rewrites the command behind the shim
     * when needed and sets MAKEFLAGS, MFLAGS and CARGO_MAKEFLAGS in its environment.
     *
     * @param inheritedMakeflags the MAKEFLAGS to keep other flags and variables from (a child of make
     *     is a sub-make), or null for a fresh jobserver
     * @param jobs the J of {@code -jJ} to show in MAKEFLAGS, or 0 when unknown
     * @param style how the child reads it: {@link JobserverAuth.Style#PIPE} (descriptors {@code 3,3}: every GNU
     *     make, cargo, generic clients) or {@link JobserverAuth.Style#FIFO} ({@code fifo:PATH}: make 4.4+, ninja)
     * @throws IllegalArgumentException for a Windows semaphore, as {@code auth} or as {@code style}
     * @throws IOException where a pipe cannot be named to a child (no {@code /proc}): see {@link #canPass}
     */
    public static ProcessBuilder prepare(
            ProcessBuilder builder, JobserverAuth auth, JobserverAuth.Style style, String inheritedMakeflags, int jobs)
            throws IOException {
        JobserverAuth given;
        if (style == JobserverAuth.Style.FIFO) {
            given = JobserverAuth.fifo(pathForChild(auth));
        } else if (style == JobserverAuth.Style.PIPE) {
            List<String> command = new ArrayList<>();
            command.add("/bin/sh");
            command.add("-c");
            command.add(SHIM);
            command.add("jobserver-shim");
            command.add(pathForChild(auth).toString());
            command.addAll(builder.command());
            builder.command(command);
            given = JobserverAuth.pipe(CHILD_FD, CHILD_FD);
        } else {
            throw new IllegalArgumentException("a child cannot be given a jobserver in the " + style + " style here");
        }
        Map<String, String> env = builder.environment();
        String makeflags = MakeFlags.forChild(inheritedMakeflags, given, jobs);
        env.put("MAKEFLAGS", makeflags);
        env.put("MFLAGS", MakeFlags.mflags(makeflags));
        // jobserver clients built on jobserver-rs read CARGO_MAKEFLAGS first: never leave a stale one
        env.put("CARGO_MAKEFLAGS", makeflags);
        return builder;
    }

    /**
     * Whether a child can be given {@code auth} itself: a FIFO always; a pipe this JVM holds where the child
     * can reopen it through {@code /proc} (Linux). Elsewhere a child reaches a pipe only through a
     * {@link Relay}'s FIFO.
     */
    public static boolean canPass(JobserverAuth auth) {
        try {
            switch (auth.style()) {
                case FIFO:
                    return true;
                case PIPE:
                    return Files.isReadable(pathForChild(auth));
                default:
                    return false;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static Path pathForChild(JobserverAuth auth) throws IOException {
        switch (auth.style()) {
            case FIFO:
                return auth.fifoPath();
            case PIPE:
                // The child cannot inherit our fd; it reopens the pipe through this JVM's /proc entry.
                return Paths.get("/proc", ProcessHandleCompat.requirePid(), "fd", String.valueOf(auth.readFd()));
            default:
                throw new IllegalArgumentException(auth + " cannot be passed to a child on this platform");
        }
    }
}
