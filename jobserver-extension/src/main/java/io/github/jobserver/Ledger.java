package io.github.jobserver;

import java.io.IOException;

/**
 * A client's ledger of the tokens it holds, kept by its {@link Guardian} so they go back when this JVM dies in
 * any way. The guardian starts once, just before the first token is read (a Maven start that reads none starts
 * none); where none can run, {@link #unguarded()} says why and every entry is a no-op.
 */
final class Ledger {
    private final JobserverAuth auth;
    private final Endpoint endpoint;
    /** Started before the first token is read; null until then, and when none can run. */
    private volatile Guardian guardian;

    private volatile boolean guarding = Guardian.enabled();
    private volatile String unguarded;

    Ledger(JobserverAuth auth, Endpoint endpoint) {
        this.auth = auth;
        this.endpoint = endpoint;
    }

    /** Why tokens are not guarded, or null when they are (or no token was read yet). */
    String unguarded() {
        return unguarded;
    }

    /** No guardian for this client from now on (one started already keeps the ledger). */
    synchronized void turnOff() {
        guarding = false;
    }

    /** Starts the guardian the first time a token may be read; afterwards returns at once, without a lock. */
    void start() {
        if (guardian == null && guarding && unguarded == null) {
            startGuardian();
        }
    }

    private synchronized void startGuardian() {
        if (guarding && guardian == null && unguarded == null) {
            try {
                Guardian.Route route = endpoint.guardianRoute();
                if (route.exists()) {
                    guardian = route.start();
                } else if (route == Guardian.Route.SERVER) {
                    guarding = false; // its server takes back what this JVM held if it dies
                } else {
                    unguarded = "no path reaches " + auth + " from another process";
                }
            } catch (IOException | RuntimeException e) {
                unguarded = "cannot start the token guardian: " + e.getMessage();
            }
        }
    }

    /** Lists a byte just read: a kill before this loses it, never doubles it. */
    void took(byte token) {
        Guardian g = guardian;
        if (g != null) {
            g.took(token);
        }
    }

    /** Strikes off a byte about to be written back (or kept for good): a kill in between loses it, never doubles it. */
    void givingBack(byte token) {
        Guardian g = guardian;
        if (g != null) {
            g.givingBack(token);
        }
    }

    /** Ends the ledger once nothing is held: the guardian exits without a write. */
    void close() {
        Guardian g = guardian;
        if (g != null) {
            g.close();
        }
    }
}
