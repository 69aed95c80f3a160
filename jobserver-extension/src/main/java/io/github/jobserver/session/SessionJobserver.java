package io.github.jobserver.session;

import io.github.jobserver.Jobserver;
import io.github.jobserver.Slot;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a plugin may know of the jobserver this Maven session runs under: the jobserver itself and the slot
 * the running module holds, so that a plugin starting a native build ({@code jobserver:serve}) hands that
 * slot to its child instead of taking another. The one class of the extension made for plugins; exported to
 * them (with the protocol) by {@code META-INF/maven/extension.xml}.
 */
public abstract class SessionJobserver {
    /**
     * A system property set while a session runs under a jobserver, so that a plugin holding another copy of
     * these classes learns that this Maven's implicit slot is taken: with the jar on
     * {@code -Dmaven.ext.class.path}, Maven does not read its {@code extension.xml}, exports nothing to
     * plugins, and a plugin loads the protocol classes from its own dependency.
     */
    public static final String RUNNING_PROPERTY = "jobserver.extension.active";

    /**
     * A system property set while the build is its own jobserver ({@code -Djobserver.jobs=N} outside make): the
     * MAKEFLAGS a child of make -jN would see for it, {@code -jN --jobserver-auth=fifo:PATH}. No variable of the
     * JVM's environment can be set, so {@link #environment} adds it for plugins, and a plugin's child joins the
     * build's jobserver as it joins make's.
     */
    public static final String OWN_MAKEFLAGS_PROPERTY = "jobserver.extension.makeflags";

    private static volatile SessionJobserver running;

    /** Only the extension makes one. */
    protected SessionJobserver() {}

    /**
     * The session's jobserver, while the extension runs under one. A plugin reaches it through the exported
     * package: with the extension loaded, the plugin's realm sees this very class.
     */
    public static Optional<SessionJobserver> running() {
        return Optional.ofNullable(running);
    }

    /** Whether another copy of the extension (in another class realm) runs a session under a jobserver. */
    public static boolean runningElsewhere() {
        return running == null && System.getProperty(RUNNING_PROPERTY) != null;
    }

    /**
     * The environment in which a plugin finds the session's jobserver: {@code env} itself under make, or, while
     * the build is its own jobserver, {@code env} with that jobserver's MAKEFLAGS (and no MFLAGS or
     * CARGO_MAKEFLAGS, which would name another). Read it instead of {@link System#getenv()}.
     */
    public static Map<String, String> environment(Map<String, String> env) {
        String own = System.getProperty(OWN_MAKEFLAGS_PROPERTY);
        if (own == null) {
            return env;
        }
        Map<String, String> withOwn = new HashMap<>(env);
        withOwn.remove("CARGO_MAKEFLAGS");
        withOwn.remove("MFLAGS");
        withOwn.put("MAKEFLAGS", own);
        return withOwn;
    }

    /** The key a module's slot is held under: {@code groupId:artifactId:version}. */
    public static String moduleKey(String groupId, String artifactId, String version) {
        return groupId + ":" + artifactId + ":" + version;
    }

    /** The jobserver the session runs under; empty once the session stopped. */
    public abstract Optional<Jobserver> jobserver();

    /**
     * The slot held for the build running on this thread: the module's (see {@link #moduleKey}), or, under
     * Maven 4's concurrent builder, this thread's mojo's. Empty in claim mode, where each of Maven's threads
     * stands for one claimed slot.
     */
    public abstract Optional<Slot> slotOf(String moduleKey);

    /**
     * Makes this the running session's jobserver.
     *
     * @param ownMakeflags with the build as its own jobserver, its MAKEFLAGS (see {@link #OWN_MAKEFLAGS_PROPERTY});
     *     else null
     */
    protected final void announce(String auth, String ownMakeflags) {
        running = this;
        System.setProperty(RUNNING_PROPERTY, auth);
        if (ownMakeflags != null) {
            System.setProperty(OWN_MAKEFLAGS_PROPERTY, ownMakeflags);
        }
    }

    /** Ends {@link #announce}, if this is still the running one. */
    protected final void withdraw() {
        if (running == this) {
            running = null;
            System.clearProperty(RUNNING_PROPERTY);
            System.clearProperty(OWN_MAKEFLAGS_PROPERTY);
        }
    }
}
