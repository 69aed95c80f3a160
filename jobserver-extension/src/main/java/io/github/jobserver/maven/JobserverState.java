package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.inject.Named;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this Maven holds of make's jobserver: the connection, the tokens claimed at start, and the slot
 * each running module holds. One per Maven session; exported to plugins so that {@code jobserver:serve}
 * can hand the running module's slot to its child instead of taking another.
 *
 * <p>Every slot is given back exactly once, by whichever comes first: the module's end, the session's
 * end, or the JVM's shutdown hook (Ctrl-C, SIGTERM, System.exit).
 */
@Named
@Singleton
public class JobserverState {
    private static final Logger LOG = LoggerFactory.getLogger(JobserverState.class);

    private final ConcurrentMap<String, Slot> moduleSlots = new ConcurrentHashMap<>();
    private final List<Slot> claimed = new ArrayList<>();
    private volatile Jobserver jobserver;
    private volatile boolean dynamic;
    private volatile boolean perMojo;
    private volatile boolean stopped;
    private Thread shutdownHook;
    /** The state of the running session, for plugins ({@code jobserver:serve}); null when none started. */
    private static volatile JobserverState active;

    /**
     * The state the extension started for this Maven, if it runs under a jobserver. A plugin reaches it
     * through the exported package: with the extension loaded, the plugin's realm sees this very class.
     */
    public static Optional<JobserverState> active() {
        return Optional.ofNullable(active);
    }

    /**
     * The slot held for the build running on this thread: its module's ({@code groupId:artifactId:version})
     * in dynamic mode, or this thread's mojo's under the concurrent builder. Empty in claim mode, where
     * each of Maven's threads stands for one claimed slot.
     */
    public Optional<Slot> slotFor(String moduleId) {
        Slot slot = moduleSlots.get(moduleId);
        return Optional.ofNullable(slot != null ? slot : moduleSlots.get(threadKey()));
    }

    /** The jobserver Maven runs under, when the extension is using one. */
    public Optional<Jobserver> jobserver() {
        return Optional.ofNullable(jobserver);
    }

    synchronized void start(Jobserver js, boolean dynamicMode, boolean perMojoSlots, List<Slot> claimedSlots) {
        this.jobserver = js;
        this.dynamic = dynamicMode;
        this.perMojo = perMojoSlots;
        this.stopped = false;
        claimed.addAll(claimedSlots);
        shutdownHook = new Thread(this::stop, "jobserver-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        active = this;
    }

    /** Dynamic mode with a slot per module build. */
    boolean perModule() {
        return dynamic && !perMojo && jobserver != null;
    }

    /**
     * Dynamic mode with a slot per mojo execution: Maven 4's concurrent builder interleaves the steps of
     * many modules on its threads, and a module holding a slot across them deadlocks it (NOTES §4).
     */
    boolean perMojo() {
        return dynamic && perMojo && jobserver != null;
    }

    /** The key of the slot held by the current thread's mojo. */
    static String threadKey() {
        return "thread " + Thread.currentThread().getId();
    }

    /** Waits for a slot for this module (the implicit slot first); dynamic mode only. */
    void acquireFor(String moduleId) throws IOException, InterruptedException {
        Jobserver js = jobserver;
        if (!dynamic || js == null || stopped) {
            return;
        }
        LOG.debug("jobserver: {} needs a slot", moduleId);
        Slot slot = js.acquire();
        Slot previous;
        synchronized (this) {
            if (stopped) {
                previous = slot; // the session ended while this thread waited: hold nothing past stop()
            } else {
                previous = moduleSlots.put(moduleId, slot);
                LOG.debug("jobserver: {} holds {}", moduleId, slot);
            }
        }
        if (previous != null) {
            previous.close();
        }
    }

    /** Gives the module's slot back as soon as the module ends. */
    void releaseFor(String moduleId) {
        Slot slot = moduleSlots.remove(moduleId);
        if (slot != null) {
            slot.close();
            LOG.debug("jobserver: {} gave back {}", moduleId, slot);
        }
    }

    /** Gives everything back and closes the connection; safe to call more than once, from any thread. */
    void stop() {
        Jobserver js;
        List<Slot> toRelease = new ArrayList<>();
        synchronized (this) {
            js = jobserver;
            if (js == null || stopped) {
                return;
            }
            stopped = true;
            toRelease.addAll(claimed);
            claimed.clear();
            // acquireFor stores a slot only under this lock and only before stopped is set
            toRelease.addAll(moduleSlots.values());
            moduleSlots.clear();
        }
        js.cancelWaiting();
        for (Slot slot : toRelease) {
            try {
                slot.close();
            } catch (RuntimeException e) {
                LOG.warn("jobserver: {}", e.getMessage());
            }
        }
        try {
            js.close();
        } catch (IOException e) {
            LOG.debug("jobserver: closing {}: {}", js, e.toString());
        }
        synchronized (this) {
            jobserver = null;
            if (active == this) {
                active = null;
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
}
