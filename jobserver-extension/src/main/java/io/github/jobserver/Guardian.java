package io.github.jobserver;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small process that gives back the tokens this JVM still holds when the JVM ends in any way, SIGKILL and
 * the OOM killer included, which no code inside the JVM can survive.
 *
 * <p>It is {@code /bin/sh} and {@code awk} running a few lines (no second JVM): it opens the jobserver through
 * this JVM's own descriptor ({@code /proc/PID/fd/N}, so a JVM's inherited pipe reaches it although
 * {@code ProcessBuilder} closes every descriptor), or, where no path reaches the jobserver (a pipe on a
 * system without {@code /proc}), a back end starts it with the pipe as its descriptor 3 ({@link Launcher}).
 * Then it reads a ledger on its standard input, one line per
 * token move: {@code + B} after this JVM read byte {@code B}, {@code - B} before it writes {@code B} back. When
 * the ledger ends (this JVM closed it, or died and the kernel closed it) the guardian writes back the bytes
 * still listed, in one write, says so on standard error if there were any, and exits. It ignores SIGINT,
 * SIGTERM and SIGHUP, so a Ctrl-C leaves it to count what the JVM's own shutdown gives back, and it runs in a
 * session of its own where {@code setsid} exists, so a SIGKILL of the JVM's whole process group misses it.
 *
 * <p>The order makes every kill err towards a lost token, never an invented one: a token is listed only after
 * it was read, and struck off before it is written back. A kill between the two steps of one move loses that
 * one token (microseconds, once per move); a kill at any other time loses nothing.
 */
public final class Guardian implements AutoCloseable {
    /** System property: {@code false} runs without a guardian. */
    static final String PROPERTY = "jobserver.guardian";

    /**
     * The guardian's script, {@code guardian.sh} beside this class: $1 is the jobserver ({@code -} for none,
     * {@code &3} when descriptor 3 is the jobserver already), $2 the pid it guards (for its messages). awk reads
     * the ledger to its end (in blocks: it keeps up with any rate of token moves) and prints the bytes still held
     * as decimal numbers, then a colon, then the children to stop; the shell writes the bytes back in one printf
     * and stops each child's tree ($1 and its descendants, from one look at /proc; just $1 without /proc).
     */
    static final String SCRIPT_RESOURCE = "guardian.sh";

    /** Read once, when the first guardian starts: a Maven start that reads no token never loads it. */
    private static String script;

    /**
     * util-linux's (or busybox's) setsid, when there is one: the guardian starts in a session and process
     * group of its own, so {@code kill -KILL -PGID} of the JVM's group (a CI runner stopping a job, a
     * supervisor) kills the JVM and not its guardian. Without it the guardian shares the JVM's group.
     */
    static final String SETSID = executable("/usr/bin/setsid", "/bin/setsid");

    private static String executable(String... candidates) {
        for (String candidate : candidates) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        return null;
    }

    /** The target that says the guardian's descriptor 3 is the jobserver already: see {@link Launcher}. */
    static final String INHERITED = "&3";

    /**
     * Starts a guardian for a jobserver no path reaches (a pipe without {@code /proc}), which
     * {@code ProcessBuilder} cannot hand down: implemented by a back end that can start a process with
     * chosen descriptors. For back ends, not for users of the library.
     */
    public interface Launcher {
        /**
         * Starts {@code command} with this jobserver's write end as its descriptor 3, a new pipe as its
         * standard input, {@code /dev/null} as its standard output and this JVM's standard error, and returns
         * that pipe's write end (close-on-exec in this JVM). Closing it ends the guardian, which the launcher
         * then reaps.
         *
         * @throws IOException when it cannot start
         */
        OutputStream launch(List<String> command) throws IOException;
    }

    /**
     * How a guardian reaches a jobserver, as its {@link Endpoint} says: a path another process can open, a
     * {@link Launcher} that hands the jobserver down as a descriptor, or neither ({@link #NONE}). For back
     * ends, not for users of the library.
     */
    public static final class Route {
        /** No way at all: the tokens read go unguarded. */
        public static final Route NONE = new Route(null, null);

        /**
         * None needed: the jobserver's server tracks its clients and takes back what a dead one held itself
         * (a character device, a FUSE file). A guardian would give those tokens back a second time.
         */
        public static final Route SERVER = new Route(null, null);

        private final String path;
        private final Launcher launcher;

        private Route(String path, Launcher launcher) {
            this.path = path;
            this.launcher = launcher;
        }

        /**
         * A path another process can open read-write to reach the jobserver for as long as this process lives:
         * {@code /proc/self/fd/N} of a descriptor this process holds, or a FIFO's path.
         */
        public static Route path(String path) {
            return new Route(path, null);
        }

        /** No path reaches the jobserver (a pipe without {@code /proc}): {@code launcher} hands it down. */
        public static Route descriptor(Launcher launcher) {
            return new Route(null, launcher);
        }

        /** Whether a guardian can reach the jobserver this way. */
        boolean exists() {
            return path != null || launcher != null;
        }

        /** Starts a guardian this way; only when {@link #exists()}. */
        Guardian start() throws IOException {
            return path != null ? Guardian.start(path) : Guardian.start(launcher);
        }
    }

    private final OutputStream ledger;
    private boolean broken;
    /** The guardian's standard output until it has said it holds the jobserver open; then null. */
    private InputStream opened;

    private Guardian(OutputStream ledger) {
        this.ledger = ledger;
    }

    /** Whether this JVM runs guardians ({@code -Djobserver.guardian=false} turns them off). */
    public static boolean enabled() {
        return !"false".equals(System.getProperty(PROPERTY));
    }

    /**
     * Starts a guardian that reaches the jobserver at {@code target} ({@code /proc/self/fd/N} of this JVM's
     * descriptor, which it opens as {@code /proc/PID/fd/N}, a FIFO's path, or {@code -} for none). It is not
     * waited for: one that cannot open the jobserver says so on standard error and ends.
     *
     * @throws IOException when it cannot start
     */
    static Guardian start(String target) throws IOException {
        String pid = ProcessHandleCompat.requirePid();
        if (target.startsWith("/proc/self/")) {
            target = "/proc/" + pid + target.substring("/proc/self".length()); // this JVM's, seen from outside
        }
        boolean jobserver = !target.equals("-");
        ProcessBuilder builder = new ProcessBuilder(command(target, pid))
                .redirectOutput(
                        jobserver ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.to(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // not waited for here: the ledger's pipe holds what this JVM writes until the guardian reads it, and a
        // guardian that cannot open the jobserver says so itself and ends (writes to it then fail: ignored).
        // It says "opened" once it holds the jobserver: the first token waits for that (took)
        Process process = builder.start();
        Guardian guardian = new Guardian(process.getOutputStream());
        guardian.opened = jobserver ? process.getInputStream() : null;
        return guardian;
    }

    /**
     * Starts a guardian through {@code launcher}, which hands it the jobserver as its descriptor 3.
     *
     * @throws IOException when it cannot start
     */
    static Guardian start(Launcher launcher) throws IOException {
        return new Guardian(launcher.launch(command(INHERITED, ProcessHandleCompat.requirePid())));
    }

    /**
     * The script as it is passed to {@code sh -c}.
     *
     * @throws IOException when the resource cannot be read (the caller runs without a guardian)
     */
    static synchronized String script() throws IOException {
        if (script == null) {
            try (InputStream in = Guardian.class.getResourceAsStream(SCRIPT_RESOURCE)) {
                if (in == null) {
                    throw new IOException("no " + SCRIPT_RESOURCE + " beside " + Guardian.class.getName());
                }
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    text.write(buffer, 0, n);
                }
                script = new String(text.toByteArray(), StandardCharsets.US_ASCII);
            }
        }
        return script;
    }

    private static List<String> command(String target, String pid) throws IOException {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID); // a session of its own: a SIGKILL of the JVM's whole process group misses it
        }
        command.addAll(Arrays.asList("/bin/sh", "-c", script(), "jobserver-guardian", target, pid));
        return command;
    }

    /**
     * A guardian of no jobserver that stops (SIGTERM) process {@code child} if this JVM ends while the child
     * still runs: a child started by a JVM that is killed would otherwise run on. {@link #close()} it once the
     * child has ended.
     */
    public static Guardian ofChild(long child) throws IOException {
        Guardian guardian = start("-");
        guardian.stopAtEnd(child);
        return guardian;
    }

    private long child = -1;

    private synchronized void stopAtEnd(long pid) {
        child = pid;
        send("k " + pid);
    }

    /**
     * Lists a byte this JVM has just read from the jobserver. The first waits until the guardian holds the
     * jobserver open (it started before the first read, so usually it does already): a token is never handed
     * on while a SIGKILL of this JVM would leave the guardian with no way to give it back.
     */
    synchronized void took(byte token) {
        send('+', token);
        if (opened != null) {
            awaitOpened();
        }
    }

    /** Reads the guardian's "opened" line, or the end of its output when it could not open the jobserver. */
    private void awaitOpened() {
        try {
            for (int c; (c = opened.read()) >= 0 && c != '\n'; ) {
                // "opened": the one line it prints
            }
        } catch (IOException e) {
            // its output is gone: so is the guardian, which said why on standard error
        } finally {
            try {
                opened.close();
            } catch (IOException ignored) {
                // nothing more is read from it
            }
            opened = null;
        }
    }

    /** Strikes off a byte this JVM is about to write back, or has kept for good. */
    synchronized void givingBack(byte token) {
        send('-', token);
    }

    private void send(char op, byte token) {
        send(op + " " + (token & 0xff));
    }

    private void send(String line) {
        if (broken) {
            return;
        }
        try {
            // one write of a few bytes: atomic on a pipe, flushed before the token moves on
            ledger.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            ledger.flush();
        } catch (IOException e) {
            broken = true; // the guardian is gone: this JVM still gives back what it holds, as without one
        }
    }

    /**
     * Ends the ledger: the guardian gives back what is still listed (nothing, normally) and exits. A child's
     * guardian is told first that the child has ended (call this after {@code waitFor()}), so it stops nothing.
     */
    @Override
    public synchronized void close() {
        if (child >= 0) {
            send("u " + child);
        }
        try {
            ledger.close();
        } catch (IOException e) {
            // the guardian is gone already
        }
        broken = true;
    }
}
