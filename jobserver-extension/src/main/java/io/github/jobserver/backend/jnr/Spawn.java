package io.github.jobserver.backend.jnr;

import io.github.jobserver.Guardian;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jnr.posix.SpawnFileAction;

/**
 * Starts the {@link Guardian} of a pipe no path reaches (no {@code /proc}) with {@code posix_spawnp}, which,
 * unlike {@code ProcessBuilder}, can hand the child a descriptor: the jobserver's write end becomes its
 * descriptor 3. Its ledger is a pipe of our own, close-on-exec here, so no other child of this JVM holds it
 * open and the guardian sees its end when this JVM closes it or dies. Unlike a child of {@code ProcessBuilder}
 * it also holds, while it lives, the descriptors of this JVM that are not close-on-exec (make's own pipe
 * among them); it lives no longer than this JVM's ledger, plus the moment it takes to write back.
 */
final class Spawn implements Guardian.Launcher {

    private final POSIX posix;
    private final int jobserverWriteFd;

    Spawn(POSIX posix, int jobserverWriteFd) {
        this.posix = posix;
        this.jobserverWriteFd = jobserverWriteFd;
    }

    @Override
    public OutputStream launch(List<String> command) throws IOException {
        int[] ledger = new int[2];
        if (posix.pipe(ledger) != 0) {
            throw new IOException("pipe: " + posix.strerror(posix.errno()));
        }
        JnrEndpoint.checked(posix, ledger[0], "pipe"); // close-on-exec: only the dup2 below hands it down
        JnrEndpoint.checked(posix, ledger[1], "pipe");
        List<SpawnFileAction> actions = Arrays.asList(
                SpawnFileAction.dup(ledger[0], 0),
                SpawnFileAction.dup(jobserverWriteFd, 3),
                SpawnFileAction.open("/dev/null", 1, OpenFlags.O_WRONLY.intValue(), 0));
        List<String> environment = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            environment.add(e.getKey() + "=" + e.getValue());
        }
        long pid = posix.posix_spawnp(command.get(0), actions, command, environment);
        posix.close(ledger[0]);
        if (pid <= 0) {
            posix.close(ledger[1]);
            throw new IOException("posix_spawnp " + command.get(0) + " failed");
        }
        return new Ledger(ledger[1], pid);
    }

    /** The ledger's write end; closing it ends the guardian, which a thread then reaps (no zombie left). */
    private final class Ledger extends OutputStream {
        private final int fd;
        private final long pid;
        private boolean closed;

        Ledger(int fd, long pid) {
            this.fd = fd;
            this.pid = pid;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("ledger closed");
            }
            byte[] these = off == 0 && len == bytes.length ? bytes : Arrays.copyOfRange(bytes, off, off + len);
            JnrEndpoint.writeFully(posix, fd, these, "the guardian's ledger"); // EPIPE: it is gone
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            posix.close(fd);
            Thread reaper = new Thread(() -> posix.waitpid(pid, new int[1], 0), "jobserver-guardian-reaper");
            reaper.setDaemon(true);
            reaper.start();
        }
    }
}
