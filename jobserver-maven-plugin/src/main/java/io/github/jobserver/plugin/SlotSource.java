package io.github.jobserver.plugin;

import io.github.jobserver.ClientLauncher;
import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverAuth;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.Lookup;
import io.github.jobserver.MakeFlags;
import io.github.jobserver.NoJobserver;
import io.github.jobserver.Relay;
import io.github.jobserver.Slot;
import io.github.jobserver.session.SessionJobserver;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.logging.Log;

/**
 * Where a {@code serve} child's job slots come from, shared by every {@code serve} running in this Maven:
 * <ol>
 *   <li>the extension runs Maven under make's jobserver, or the build's own ({@code -Djobserver.jobs=N}): the
 *       child joins it, and uses the slot the running module already holds;</li>
 *   <li>Maven runs under a jobserver without the extension (or with it in another realm): the child joins it,
 *       and this Maven takes a slot for it (its own implicit slot first);</li>
 *   <li>otherwise one server of J slots for the whole Maven, from which each child takes a slot; it is
 *       counted back, in make's words, when the last child using it ends.</li>
 * </ol>
 * In every case a child's own implicit slot is the one taken for it, so nothing is counted twice. The child
 * is given that jobserver itself (its FIFO, or make's pipe reopened through {@code /proc}), so it sees the
 * pool exactly as a direct child of make would: every free token at once, and a token the instant one is
 * free. On request, or where a pipe cannot be named to a child, it is given a {@link Relay} of its own
 * instead: slots borrowed one at a time, counted when it ends and made good if its tree kept any.
 */
final class SlotSource {
    private static Lookup inherited;
    private static JobserverServer server;
    private static Jobserver serverClient;
    private static int serverUsers;

    private SlotSource() {}

    /**
     * What one child runs with: the jobserver its slots come from, or a {@link Relay} over it, and the slot
     * taken for it. {@link #finish} gives everything back.
     */
    static final class Lease {
        /** What the child is given: the jobserver itself, or its relay's FIFO. */
        final JobserverAuth auth;
        /** MAKEFLAGS to keep flags and variables from (Maven's own, under make), or null. */
        final String inheritedMakeflags;
        /** J to show in the child's MAKEFLAGS, 0 when unknown. */
        final int jobs;
        /** Where the slots come from, for the log. */
        final String origin;
        /** The relay the child reads, or null when it is given the jobserver itself. */
        private final Relay relay;

        private final Slot slot;
        private final boolean ownServer;
        /** A connection of this child's own, closed after its slot: null when it shares one. */
        private final Jobserver connection;
        /** Guarded by this. */
        private boolean finished;

        private Lease(
                Jobserver parent,
                boolean relayed,
                String inheritedMakeflags,
                int jobs,
                String origin,
                Slot slot,
                boolean ownServer,
                Jobserver connection)
                throws IOException {
            this.relay = relayed || !ClientLauncher.canPass(parent.auth()) ? Relay.start(parent) : null;
            this.auth = relay != null ? relay.auth() : parent.auth();
            this.inheritedMakeflags = inheritedMakeflags;
            this.jobs = jobs;
            this.origin = origin + (relay != null ? ", relayed" : "");
            this.slot = slot;
            this.ownServer = ownServer;
            this.connection = connection;
        }

        /**
         * Call once the child and everything it started have ended: a relay counts its pool and gives
         * every borrowed slot back, whatever the child's tree kept; then the child's own slot goes back, and
         * the last user of our own server closes and counts it. Shortfalls are logged in make's words. A
         * second call does nothing, but only once the first has given everything back: the shutdown hook
         * and the mojo's thread both call it on Ctrl-C, and the JVM halts when the hook returns.
         */
        synchronized void finish(String what, Log log) {
            if (finished) {
                return;
            }
            finished = true;
            if (relay != null) {
                report(relay.finish(), what, log);
            }
            if (slot != null) {
                slot.close();
            }
            close(connection);
            JobserverServer.Report report = ownServer ? releaseServer() : null;
            if (report != null) {
                if (report.whole()) {
                    log.info(report.toString());
                } else {
                    log.warn(report.toString());
                }
            }
        }

        private void report(Relay.Outcome outcome, String what, Log log) {
            if (outcome.missing() > 0) {
                log.warn("jobserver: " + what + " " + outcome + " (its processes kept " + outcome.missing()
                        + "; they went back to " + relay.parent().auth() + ")");
            } else if (outcome.invented() > 0) {
                log.warn("jobserver: " + what + " wrote " + outcome.invented() + " tokens more than it was lent; "
                        + "dropped, not passed to " + relay.parent().auth());
            } else if (log.isDebugEnabled()) {
                log.debug("jobserver: " + what + " " + outcome + ", at most " + outcome.mostBorrowed() + " at once");
            }
            for (String problem : outcome.problems()) {
                log.warn("jobserver: " + problem);
            }
        }
    }

    /**
     * The lease of one child.
     *
     * @param relayed give the child a {@link Relay} (counted and made good) instead of the jobserver itself
     */
    static Lease lease(Map<String, String> env, int jobs, String moduleKey, boolean relayed, Log log)
            throws IOException, InterruptedException {
        Optional<SessionJobserver> state = SessionJobserver.running();
        if (state.isPresent() && state.get().jobserver().isPresent()) {
            Jobserver js = state.get().jobserver().get();
            Optional<Slot> held = state.get().slotOf(moduleKey);
            MakeFlags flags = MakeFlags.fromEnvironment(env);
            return new Lease(
                    js,
                    relayed,
                    makeflags(env),
                    flags.jobs().orElse(0),
                    "Maven's jobserver (" + js.auth() + "), on the slot "
                            + (held.isPresent() ? "this module holds" : "of this Maven thread"),
                    null,
                    false,
                    null);
        }
        // the build's own jobserver from another realm: a connection per child, so none holds it open at its close
        boolean own = System.getProperty(SessionJobserver.OWN_MAKEFLAGS_PROPERTY) != null;
        Lookup outer = own ? Jobserver.fromEnvironment(env) : inherited(env, log);
        if (outer.jobserver().isPresent()) {
            Jobserver js = own
                    ? outer.jobserver().get().withoutGuardian()
                    : outer.jobserver().get();
            Slot slot = js.acquire();
            if (slot.isImplicit() && SessionJobserver.runningElsewhere()) {
                // the extension runs in another class realm (maven.ext.class.path) and its modules hold this
                // Maven's implicit slot: this copy's implicit slot is not free, so it is held unused, and the
                // child gets a token of its own
                holdImplicit(slot, log);
                slot = js.acquire();
            }
            try {
                return new Lease(
                        js,
                        relayed,
                        makeflags(env),
                        outer.makeFlags().get().jobs().orElse(0),
                        "Maven's jobserver (" + js.auth() + ")",
                        slot,
                        false,
                        own ? js : null);
            } catch (IOException | RuntimeException e) {
                slot.close();
                close(own ? js : null);
                throw e;
            }
        }
        JobserverServer shared;
        Jobserver client;
        synchronized (SlotSource.class) {
            openServer(jobs);
            shared = server;
            client = serverClient;
        }
        Slot slot = null;
        try {
            slot = client.acquire();
            return new Lease(
                    client,
                    relayed,
                    null,
                    shared.jobs(),
                    "a new jobserver of " + shared.jobs() + " slots (" + shared.fifo() + ")",
                    slot,
                    true,
                    null);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (slot != null) {
                slot.close();
            }
            releaseServer();
            throw e;
        }
    }

    /** This copy's implicit slot, held for good while the extension's modules hold Maven's own. */
    private static Slot heldImplicit;

    /** Holds this copy's implicit slot (a client hands it out once) and says why, once. */
    private static synchronized void holdImplicit(Slot implicit, Log log) {
        if (heldImplicit == null) { // once: a connection per child (the build's own jobserver) comes here each time
            log.warn("jobserver: the extension is loaded where plugins cannot see it (-Dmaven.ext.class.path); each "
                    + "serve takes a token for its child instead of the module's slot. Load it from "
                    + ".mvn/extensions.xml to share the slot");
        }
        heldImplicit = implicit;
    }

    private static void close(Jobserver connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // nothing is held: nothing can be lost
            }
        }
    }

    private static String makeflags(Map<String, String> env) {
        String flags = env.get("MAKEFLAGS");
        return flags != null ? flags : env.get("MFLAGS");
    }

    /**
     * The jobserver Maven itself was given, looked up (and connected) once per JVM, so a broken or
     * unusable one is reported once, not by every {@code serve}.
     */
    private static synchronized Lookup inherited(Map<String, String> env, Log log) {
        if (inherited != null) {
            return inherited;
        }
        inherited = Jobserver.fromEnvironment(env);
        if (!inherited.jobserver().isPresent()) {
            NoJobserver why = inherited.absence();
            if (why.category() == NoJobserver.Category.BROKEN) {
                log.warn(why.warning());
            } else if (why.category() != NoJobserver.Category.ABSENT) {
                log.warn("jobserver: ignored, " + why);
            }
        }
        return inherited;
    }

    /** Creates this Maven's own server on first use and counts one more user; call holding the class lock. */
    private static void openServer(int jobs) throws IOException {
        if (server == null) {
            JobserverServer created = JobserverServer.create(jobs);
            Lookup lookup = Jobserver.connect(created.auth());
            if (!lookup.jobserver().isPresent()) {
                created.close();
                throw new IOException("cannot use the new jobserver: " + lookup.absence());
            }
            server = created;
            serverClient = lookup.jobserver().get().withoutGuardian(); // our own pool dies with this JVM
        }
        serverUsers++;
    }

    /** The last user of our server closes it and reports the count; a shortfall is logged as make does. */
    private static JobserverServer.Report releaseServer() {
        JobserverServer closing;
        Jobserver client;
        synchronized (SlotSource.class) {
            if (--serverUsers > 0) {
                return null;
            }
            closing = server;
            client = serverClient;
            server = null;
            serverClient = null;
        }
        try {
            client.close();
        } catch (IOException e) {
            // the count below says whether anything was lost
        }
        try {
            return closing.closeAndCount();
        } catch (IOException e) {
            return null;
        }
    }
}
