package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import io.github.jobserver.session.SessionJobserver;
import java.util.Optional;
import javax.inject.Named;
import javax.inject.Singleton;

/**
 * The slots of the running Maven session: the {@link SlotPolicy} chosen for it, which the listeners ask at
 * every module and mojo, and the JVM shutdown hook that gives every slot back on Ctrl-C, SIGTERM or
 * System.exit. Plugins see it as the {@link SessionJobserver}. The one component that lives across the
 * session's parts; everything it holds is made anew by {@link #start}.
 */
@Named
@Singleton
public class SessionSlots extends SessionJobserver {
    private volatile SlotPolicy policy = SlotPolicy.NONE;
    private Thread shutdownHook;
    /** The build's own jobserver, closed once the policy has given everything back; null under make. */
    private OwnJobserver ownJobserver;

    /** The policy of the running session; {@link SlotPolicy#NONE} outside one. */
    SlotPolicy policy() {
        return policy;
    }

    /** The build's own jobserver while the session runs under it; else null. */
    synchronized OwnJobserver ownJobserver() {
        return ownJobserver;
    }

    /**
     * Runs the session under {@code chosen} until {@link #stop()}.
     *
     * @param ownMakeflags with the build as its own jobserver, the MAKEFLAGS a child is to see; else null
     * @param own the build's own jobserver, closed by {@link #stop()} after the policy; else null
     */
    synchronized void start(SlotPolicy chosen, String auth, String ownMakeflags, OwnJobserver own) {
        policy = chosen;
        ownJobserver = own;
        shutdownHook = new ShutdownHook(this); // a class, not this::stop: docs/FACTS.md, "Code on the start-up path"
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        announce(auth, ownMakeflags);
    }

    /**
     * Gives everything back, then closes the build's own jobserver, if any (its count waits for a slot another
     * thread is still giving back); safe to call more than once, from any thread, the shutdown hook included.
     */
    void stop() {
        SlotPolicy stopping = policy;
        stopping.stop();
        synchronized (this) {
            withdraw();
            closeOwnJobserver();
            if (policy == stopping) {
                policy = SlotPolicy.NONE;
            }
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to: it finds nothing left to do
                }
            }
            shutdownHook = null;
        }
    }

    private void closeOwnJobserver() {
        OwnJobserver own = ownJobserver;
        ownJobserver = null;
        if (own != null) {
            own.close();
        }
    }

    /** The JVM's shutdown hook for a session: Ctrl-C, SIGTERM or System.exit gives every slot back. */
    private static final class ShutdownHook extends Thread {
        private final SessionSlots session;

        ShutdownHook(SessionSlots session) {
            super("jobserver-shutdown");
            this.session = session;
        }

        @Override
        public void run() {
            session.stop();
        }
    }

    @Override
    public Optional<Jobserver> jobserver() {
        return policy.jobserver();
    }

    @Override
    public Optional<Slot> slotOf(String moduleKey) {
        return policy.slotOf(moduleKey);
    }
}
