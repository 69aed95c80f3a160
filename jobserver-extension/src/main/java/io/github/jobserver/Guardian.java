package io.github.jobserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small process that gives back the tokens this JVM still holds when the JVM ends in any way, SIGKILL and
 * the OOM killer included, which no code inside the JVM can survive.
 *
 * <p>It is {@code /bin/sh} running a loop of a few lines (no second JVM): it opens the jobserver through this
 * JVM's own descriptor ({@code /proc/PID/fd/N}, so a JVM's inherited pipe reaches it although
 * {@code ProcessBuilder} closes every descriptor) and then reads a ledger on its standard input, one line per
 * token move: {@code + B} after this JVM read byte {@code B}, {@code - B} before it writes {@code B} back. When
 * the ledger ends (this JVM closed it, or died and the kernel closed it) the guardian writes back the bytes
 * still listed, in one write, says so on standard error if there were any, and exits. It ignores SIGINT,
 * SIGTERM and SIGHUP, so a Ctrl-C to the whole process group leaves it to count what the JVM's own shutdown
 * gives back.
 *
 * <p>The order makes every kill err towards a lost token, never an invented one: a token is listed only after
 * it was read, and struck off before it is written back. A kill between the two steps of one move loses that
 * one token (microseconds, once per move); a kill at any other time loses nothing.
 */
public final class Guardian implements AutoCloseable {
    /** System property: {@code false} runs without a guardian. */
    static final String PROPERTY = "jobserver.guardian";

    /**
     * The guardian: $1 is the jobserver, $2 the pid it guards (for its one message). The held bytes are a
     * list of decimal numbers; the final printf writes them all at once.
     */
    static final String SCRIPT = "trap '' INT TERM HUP\n"
            + "if [ \"$1\" != - ]; then exec 3<>\"$1\" || exit 2; fi\n"
            + "echo ready\n"
            + "exec 1>/dev/null\n"
            + "held= stop=\n"
            + "while read -r op arg; do\n"
            + "  case $op in\n"
            + "    +) held=\"$held $arg\" ;;\n"
            + "    -) rest= struck=\n"
            + "       for b in $held; do\n"
            + "         if [ -z \"$struck\" ] && [ \"$b\" = \"$arg\" ]; then struck=1; else rest=\"$rest $b\"; fi\n"
            + "       done\n"
            + "       held=$rest ;;\n"
            + "    k) stop=\"$stop $arg\" ;;\n"
            + "    u) rest=\n"
            + "       for p in $stop; do [ \"$p\" = \"$arg\" ] || rest=\"$rest $p\"; done\n"
            + "       stop=$rest ;;\n"
            + "  esac\n"
            + "done\n"
            + "n=0 bytes=\n"
            + "for b in $held; do bytes=\"$bytes\\\\$(printf %o \"$b\")\"; n=$((n + 1)); done\n"
            + "if [ \"$n\" -gt 0 ]; then\n"
            + "  printf \"$bytes\" >&3\n"
            + "  echo \"jobserver: the guardian of process $2 gave back the $n tokens it held when it ended\" >&2\n"
            + "fi\n"
            + "tree() {\n" // $1 and its descendants, from one look at /proc (just $1 without /proc)
            + "  found=\" $1 \" new=$1\n"
            + "  while [ -n \"$new\" ] && [ -d /proc/self ]; do\n"
            + "    next=\n"
            + "    for s in /proc/[0-9]*/stat; do\n"
            + "      { read -r line < \"$s\"; } 2>/dev/null || continue\n"
            + "      pid=${s#/proc/} pid=${pid%/stat}\n"
            + "      set -- ${line##*) }\n"
            + "      case \" $new \" in *\" $2 \"*)\n"
            + "        case $found in *\" $pid \"*) ;; *) found=\"$found$pid \" next=\"$next $pid\" ;; esac ;;\n"
            + "      esac\n"
            + "    done\n"
            + "    new=$next\n"
            + "  done\n"
            + "  echo $found\n"
            + "}\n"
            + "for p in $stop; do\n"
            + "  kill -0 \"$p\" 2>/dev/null || continue\n"
            + "  all=$(tree \"$p\")\n"
            + "  kill -TERM $all 2>/dev/null\n"
            + "  echo \"jobserver: process $2 ended while its child $p ran; the guardian stopped it (processes $all)\" >&2\n"
            + "done\n";

    private final Process process;
    private final OutputStream ledger;
    private boolean broken;

    private Guardian(Process process) {
        this.process = process;
        this.ledger = process.getOutputStream();
    }

    /** Whether this JVM runs guardians ({@code -Djobserver.guardian=false} turns them off). */
    public static boolean enabled() {
        return !"false".equals(System.getProperty(PROPERTY));
    }

    /**
     * Starts a guardian that reaches the jobserver at {@code target} ({@code /proc/self/fd/N} of this JVM's
     * descriptor, which it opens as {@code /proc/PID/fd/N}, or a FIFO's path) and waits until it holds it open.
     *
     * @throws IOException when it cannot start or cannot open the jobserver; nothing is guarded then
     */
    static Guardian start(String target) throws IOException {
        String pid = ProcessHandleCompat.requirePid();
        if (target.startsWith("/proc/self/")) {
            target = "/proc/" + pid + target.substring("/proc/self".length()); // this JVM's, seen from outside
        }
        ProcessBuilder builder = new ProcessBuilder(
                        Arrays.asList("/bin/sh", "-c", SCRIPT, "jobserver-guardian", target, pid))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        String first;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            first = out.readLine();
        }
        if (!"ready".equals(first)) {
            process.getOutputStream().close();
            throw new IOException("the token guardian could not open " + target);
        }
        return new Guardian(process);
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

    /** Lists a byte this JVM has just read from the jobserver. */
    synchronized void took(byte token) {
        send('+', token);
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

    /** The guardian's process, for tests. */
    Process process() {
        return process;
    }
}
