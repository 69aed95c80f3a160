package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverAuth;
import io.github.jobserver.session.SessionJobserver;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.maven.plugin.MojoExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * The goals that start native commands (make, ninja, a script) as children of this JVM, and the one line per
 * build that says when those children cannot reach make's jobserver. Under a pipe they cannot: Java closes
 * every descriptor above 2 in a process it starts (docs/FACTS.md, "What the JVM cannot do"), so a make among them finds the descriptors
 * its MAKEFLAGS names closed and runs -j1 ("jobserver unavailable ... Add '+'", although the rule has it), or
 * runs its own -jN beside make's limit. A FIFO or any other jobserver named by a path needs no line: the child
 * opens it by the name in MAKEFLAGS. The build's own jobserver ({@code jobserver.jobs}) is in no MAKEFLAGS a
 * child inherits: a line of its own. maven-antrun-plugin counts only when its target holds a task that starts a
 * process ({@link #STARTS}): most targets only copy, echo or sleep inside this JVM. A new goal is one row of
 * {@link #KNOWN}. A plain array and no lambdas:
 * this runs at every mojo under make (docs/FACTS.md, "Code on the start-up path").
 */
final class NativeGoals {
    /**
     * Per goal: its plugin's groupId and artifactId, the goal, its name in the line, the mojo's boolean field
     * that skips it (null when it has none), and {@code ant} when it runs the Ant tasks of its configuration's
     * {@link #ANT_TASKS} (null when it always starts its command). {@code exec:java} is not here: it runs in this
     * JVM.
     */
    private static final String[][] KNOWN = {
        {"org.codehaus.mojo", "exec-maven-plugin", "exec", "exec:exec", "skip", null},
        {"org.apache.maven.plugins", "maven-antrun-plugin", "run", "antrun:run", "skip", "ant"},
        // cmake --build runs the generator's make or ninja, the jobserver clients this line is about
        {"io.github.cmake-maven-plugin", "cmake-maven-plugin", "compile", "cmake:compile", null, null},
        {"com.googlecode.cmake-maven-project", "cmake-maven-plugin", "compile", "cmake:compile", null, null},
    };

    /**
     * The Ant tasks that start a process outside this JVM: Ant's own {@code exec} and {@code apply}, ant-contrib's
     * {@code shellscript}. Matched by local name, so a namespace prefix ({@code ac:shellscript}) is allowed. A
     * build file another task runs ({@code <ant antfile=...>}) is not read: its commands go unnamed.
     */
    private static final String[] STARTS = {"exec", "apply", "shellscript"};

    /** The configuration's elements that hold Ant tasks: antrun 3's {@code target}, and 1.x's {@code tasks}. */
    private static final String[] ANT_TASKS = {"target", "tasks"};

    private static final int GROUP = 0;
    private static final int ARTIFACT = 1;
    private static final int GOAL = 2;
    private static final int NAME = 3;
    private static final int SKIP = 4;
    private static final int TASKS = 5;

    /**
     * The policy of the build whose line was written: each build has a policy of its own, so a new build
     * (mvnd's next one) writes its line again, and of the build's threads only the first writes it.
     */
    private final AtomicReference<SlotPolicy> told = new AtomicReference<>();

    /**
     * The line to log before this execution: at the first execution of a listed goal, not skipped, in a build
     * whose jobserver is a pipe; null otherwise and at every later one.
     */
    String line(SlotPolicy policy, MojoExecution execution, Object mojo) {
        boolean own = policy.jobserver().isPresent() && isOwn();
        if (!own && !isPipe(policy.jobserver())) {
            return null;
        }
        String goal = nameOf(execution, mojo);
        if (goal == null || told.getAndSet(policy) == policy) {
            return null;
        }
        return own ? ownLine(goal) : line(goal);
    }

    /** The line for {@code goal} ({@code exec:exec}). */
    static String line(String goal) {
        return "jobserver: " + goal + "'s commands cannot reach make's jobserver, a pipe (Java closes its"
                + " descriptors in a child): a make among them runs -j1, or its own -jN outside the limit;"
                + " use jobserver:serve, or make 4.4 with --jobserver-style=fifo";
    }

    /**
     * The line for {@code goal} with the build as its own jobserver ({@code jobserver.jobs}): no variable of this
     * JVM's environment can name it, so a child of the goal sees no jobserver at all (measured: a plain make
     * ran 1 at once, make -j4 ran 4 beside the build's limit of 2).
     */
    static String ownLine(String goal) {
        return "jobserver: " + goal + "'s commands cannot reach the build's own jobserver (their environment is"
                + " the JVM's, without MAKEFLAGS): a make among them runs -j1, or its own -jN outside the limit;"
                + " use jobserver:serve";
    }

    /** Whether the session runs under the build's own jobserver rather than make's. */
    private static boolean isOwn() {
        return System.getProperty(SessionJobserver.OWN_MAKEFLAGS_PROPERTY) != null;
    }

    /**
     * {@code exec:exec} when the execution is a listed goal that is not skipped and, for Ant, whose tasks start a
     * process; null otherwise.
     */
    static String nameOf(MojoExecution execution, Object mojo) {
        for (String[] known : KNOWN) {
            if (known[GROUP].equals(execution.getGroupId())
                    && known[ARTIFACT].equals(execution.getArtifactId())
                    && known[GOAL].equals(execution.getGoal())) {
                boolean skipped = known[SKIP] != null && mojo != null && MojoReflection.flag(mojo, known[SKIP]);
                boolean starts = known[TASKS] == null || startsProcess(execution.getConfiguration());
                return skipped || !starts ? null : known[NAME];
            }
        }
        return null;
    }

    /** Whether one of the configuration's {@link #ANT_TASKS} holds a task of {@link #STARTS}, at any depth. */
    private static boolean startsProcess(Xpp3Dom configuration) {
        if (configuration == null) {
            return false;
        }
        for (String holder : ANT_TASKS) {
            Xpp3Dom tasks = configuration.getChild(holder);
            if (tasks != null && holdsStart(tasks)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsStart(Xpp3Dom element) {
        for (Xpp3Dom child : element.getChildren()) {
            String name = child.getName();
            String local = name.substring(name.indexOf(':') + 1);
            for (String start : STARTS) {
                if (start.equals(local)) {
                    return true;
                }
            }
            if (holdsStart(child)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPipe(Optional<Jobserver> jobserver) {
        return jobserver.isPresent() && jobserver.get().auth().style() == JobserverAuth.Style.PIPE;
    }
}
