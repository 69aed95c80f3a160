package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.Lookup;
import io.github.jobserver.MakeFlags;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build as its own jobserver ({@code -Djobserver.jobs=N} outside make), as {@code make -jN} is when nothing
 * gives it one: a private {@link JobserverServer} of N slots (N-1 tokens in a FIFO 0600, alone in a directory
 * 0700 under {@code $TMPDIR}), and this JVM its client, holding the implicit slot. The client runs without a
 * guardian: nobody outside this JVM holds the pool open, so it dies with the JVM and a dead JVM's tokens matter
 * to no one. SIGKILL leaves the empty FIFO in its directory, which the next server of this user removes.
 *
 * <p>{@link SessionSlots} closes it after the session's policy has given every slot back, at the session's end
 * or in the shutdown hook (Ctrl-C, SIGTERM).
 */
final class OwnJobserver implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(JobserverLifecycleParticipant.class);

    private final JobserverServer server;
    private final Jobserver client;
    /** What the slots came from, for the log ({@code auto: 8 processors}); null for a number. */
    private final String origin;
    /** Guarded by this; null until closed. */
    private JobserverServer.Report report;

    private boolean closed;

    private OwnJobserver(JobserverServer server, Jobserver client, String origin) {
        this.server = server;
        this.client = client;
        this.origin = origin;
    }

    /**
     * Starts a server of {@code jobs} slots and connects to it; {@code origin} says where the number came from
     * when the user did not write it ({@code auto: 8 processors}), or is null.
     */
    static OwnJobserver start(int jobs, String origin) throws IOException {
        JobserverServer server = JobserverServer.create(jobs);
        Lookup lookup = Jobserver.connect(server.auth());
        if (!lookup.jobserver().isPresent()) {
            server.close();
            throw new IOException(lookup.absence().toString());
        }
        return new OwnJobserver(server, lookup.jobserver().get().withoutGuardian(), origin);
    }

    /** This JVM's client of the server. */
    Jobserver client() {
        return client;
    }

    /** The MAKEFLAGS a child of make -jN would see for this server: {@code -jN --jobserver-auth=fifo:PATH}. */
    String makeflags() {
        return server.makeflags();
    }

    /**
     * For the log, in the form of {@link MakeFlags#describe()}: {@code own jobserver -j4 (fifo /tmp/...)}, and
     * {@code own jobserver -j8 (auto: 8 processors, fifo /tmp/...)}.
     */
    String describe() {
        return "own jobserver -j" + server.jobs() + " (" + (origin == null ? "" : origin + ", ") + server.auth() + ")";
    }

    Path fifo() {
        return server.fifo();
    }

    /** The count made at {@link #close()}; null before. */
    synchronized JobserverServer.Report report() {
        return report;
    }

    /**
     * Counts the tokens back, in make's words when some are missing, and removes the FIFO and its directory.
     * Call once the client has given back every slot: the count waits (5 s at most) for the client's last
     * write. A second call does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("jobserver: closing {}: {}", client, e.toString());
        }
        try {
            report = server.closeAndCount();
        } catch (IOException e) {
            LOG.warn("jobserver: cannot count the tokens of {}: {}", describe(), e.getMessage());
            return;
        }
        if (report.whole()) {
            LOG.debug("{} of {}", report, describe());
        } else {
            LOG.warn("{} ({})", report, describe());
        }
    }
}
