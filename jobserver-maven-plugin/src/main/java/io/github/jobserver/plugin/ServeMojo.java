package io.github.jobserver.plugin;

import io.github.jobserver.ClientLauncher;
import io.github.jobserver.Guardian;
import io.github.jobserver.JobserverAuth;
import io.github.jobserver.session.SessionJobserver;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Runs a native build (make, ninja, cargo, any command) as a client of a jobserver, so that it shares one
 * job limit with Maven and with the make that runs Maven. Under make (or with the extension) the child
 * joins Maven's jobserver on the slot Maven already has for it; otherwise one jobserver of
 * {@code jobs} slots serves every {@code serve} in this Maven, and its tokens are counted back.
 */
@Mojo(name = "serve", requiresProject = false, threadSafe = true)
public class ServeMojo extends AbstractMojo {
    /** How long a stopped child may take to exit before it is killed. */
    private static final long GRACE_MILLIS = 5_000;

    /**
     * The command, split into words as a POSIX shell would (quotes respected, nothing expanded), e.g.
     * {@code -Djobserver.command="make -C native all"}. In a POM, {@code commandLine} gives the words as a list.
     */
    @Parameter(property = "jobserver.command")
    private String command;

    /** The command as a list of words, used as they are (POM form); wins over {@code command}. */
    @Parameter
    private List<String> commandLine;

    /**
     * Slots of the jobserver this goal creates when Maven runs under none: 0 means Maven's {@code -T} when
     * above 1, else the number of processors. Ignored when the child joins Maven's jobserver.
     */
    @Parameter(property = "jobserver.jobs", defaultValue = "0")
    private int jobs;

    /**
     * How the child finds the jobserver: {@code fds} (descriptors, {@code --jobserver-auth=3,3}: GNU make 4.3
     * and older, cargo, generic clients), {@code fifo} ({@code fifo:PATH}: make 4.4+, ninja), or
     * {@code auto}: fifo for GNU make 4.4+ (its version is probed) and ninja, fds for anything else.
     */
    @Parameter(property = "jobserver.style", defaultValue = "auto")
    private String style;

    /** Where the command runs; the project's directory, or the current one without a project. */
    @Parameter(property = "jobserver.workingDirectory", defaultValue = "${basedir}")
    private File workingDirectory;

    /** Extra environment variables for the child (MAKEFLAGS, MFLAGS and CARGO_MAKEFLAGS are set by the goal). */
    @Parameter
    private Map<String, String> environment;

    /** Seconds after which the child and everything it started are stopped and the goal fails; 0: none. */
    @Parameter(property = "jobserver.timeout", defaultValue = "0")
    private int timeout;

    /**
     * Gives the child a relay of its own instead of the jobserver itself: every slot its tree keeps (a
     * process killed while holding one) is counted in make's words and given back when it ends, but the
     * child sees one free token at a time (a claim-all client's read gets 1; a loop of reads such as the
     * Linux kernel's jobserver-exec gets one more for each 2 ms look it outlasts), and a blocking client
     * waits for the relay's next look at its pool.
     */
    @Parameter(property = "jobserver.relay", defaultValue = "false")
    private boolean relay;

    /** Skips the goal. */
    @Parameter(property = "jobserver.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("jobserver: serve skipped");
            return;
        }
        List<String> words = words();
        File directory = workingDirectory != null ? workingDirectory : new File(System.getProperty("user.dir"));
        Map<String, String> childEnv = childEnvironment();
        String executable = Executables.find(words.get(0), directory, childEnv.get("PATH"));
        if (executable == null) {
            throw new MojoExecutionException("jobserver: cannot run " + words + ": '" + words.get(0)
                    + "' is not an executable file" + (words.get(0).contains("/") ? "" : " on PATH"));
        }
        int slots = jobs > 0
                ? jobs
                : session.getRequest().getDegreeOfConcurrency() > 1
                        ? session.getRequest().getDegreeOfConcurrency()
                        : Runtime.getRuntime().availableProcessors();
        String moduleId = project != null
                ? SessionJobserver.moduleKey(project.getGroupId(), project.getArtifactId(), project.getVersion())
                : "";
        SlotSource.Lease lease;
        try {
            lease = SlotSource.lease(System.getenv(), slots, moduleId, relay, getLog());
        } catch (IOException e) {
            throw new MojoExecutionException("jobserver: no jobserver for " + words + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("jobserver: interrupted while waiting for a job slot", e);
        }
        try {
            run(words, executable, directory, childEnv, lease);
        } finally {
            lease.finish(words.toString(), getLog());
        }
    }

    private List<String> words() throws MojoExecutionException {
        List<String> words;
        if (commandLine != null && !commandLine.isEmpty()) {
            words = new ArrayList<>(commandLine);
        } else if (command != null && !command.trim().isEmpty()) {
            try {
                words = ShellWords.split(command);
            } catch (IllegalArgumentException e) {
                throw new MojoExecutionException("jobserver: jobserver.command: " + e.getMessage());
            }
        } else {
            words = Collections.emptyList();
        }
        if (words.isEmpty()) {
            throw new MojoExecutionException("jobserver: no command: set -Djobserver.command=\"make ...\" or "
                    + "<commandLine> in the plugin's configuration");
        }
        return words;
    }

    private Map<String, String> childEnvironment() {
        Map<String, String> env = new ProcessBuilder().environment();
        if (environment != null) {
            for (Map.Entry<String, String> e : environment.entrySet()) {
                env.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
            }
        }
        return env;
    }

    private void run(
            List<String> words, String executable, File directory, Map<String, String> env, SlotSource.Lease lease)
            throws MojoExecutionException, MojoFailureException {
        JobserverAuth.Style chosen = ChildStyle.choose(style, executable);
        String caveat = ChildStyle.caveat(executable);
        if (caveat != null) {
            getLog().warn(caveat);
        }
        ProcessBuilder builder = new ProcessBuilder(words).directory(directory).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            ClientLauncher.prepare(builder, lease.auth, chosen, lease.inheritedMakeflags, lease.jobs);
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException(
                    "jobserver: cannot pass " + lease.auth + " to " + words + ": " + e.getMessage(), e);
        }
        getLog().info("jobserver: running " + words + " on " + lease.origin + ", passed as "
                + (chosen == JobserverAuth.Style.PIPE ? "fds 3,3" : "fifo:"));
        getLog().debug("jobserver: " + words + " gets MAKEFLAGS="
                + builder.environment().get("MAKEFLAGS"));
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            throw new MojoExecutionException("jobserver: cannot start " + words + ": " + e.getMessage(), e);
        }
        // SIGKILL of this JVM (the OOM killer) runs none of the code below: a guardian process stops the child
        Guardian guardian = guard(child, words);
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread hook = new Thread(
                () -> {
                    try {
                        ChildTree.stop(child, GRACE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    closeQuietly(guardian);
                    lease.finish(words.toString(), getLog());
                },
                "jobserver-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService watchdog = null;
        if (timeout > 0) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jobserver-serve-timeout");
                t.setDaemon(true);
                return t;
            });
            watchdog.schedule(
                    () -> {
                        timedOut.set(true);
                        ChildTree.stop(child, GRACE_MILLIS);
                        return null;
                    },
                    timeout,
                    TimeUnit.SECONDS);
        }
        ChildTree.Watch watch = new ChildTree.Watch(child);
        Thread output = new Thread(() -> forward(child, words, timedOut), "jobserver-serve-output");
        output.setDaemon(true);
        output.start();
        int exit;
        try {
            exit = child.waitFor();
            if (exit > 128 && !timedOut.get()) {
                // killed by a signal: a make killed with SIGKILL could not stop its recipes, and they would
                // hold the child's output open (and run on) for as long as they like
                List<Object> left = watch.survivors();
                getLog().debug("jobserver: " + words + " exited " + exit + "; of the processes seen under it, "
                        + left.size() + " still run");
                if (!left.isEmpty()) {
                    getLog().warn("jobserver: " + words + " was killed (exit " + exit + ") and left " + left.size()
                            + " processes running (" + ChildTree.describe(left) + "); stopping them");
                    ChildTree.stopAll(left, GRACE_MILLIS, true);
                }
            }
            output.join(GRACE_MILLIS);
            if (output.isAlive()) {
                getLog().warn("jobserver: processes started by " + words + " keep its output open after it exited "
                        + exit + "; not waiting for them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(child);
            throw new MojoExecutionException("jobserver: interrupted while " + words + " ran", e);
        } finally {
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
            if (!child.isAlive()) {
                closeQuietly(guardian); // the child has ended: nothing to stop
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now and stops the child itself
            }
        }
        if (timedOut.get()) {
            throw new MojoFailureException("jobserver: " + words + " timed out after " + timeout
                    + " s and was stopped, with everything it started");
        }
        if (exit != 0) {
            throw new MojoFailureException("jobserver: " + words + " exited " + exit);
        }
    }

    /** Copies the child's output to the log, line by line as it comes. */
    private void forward(Process child, List<String> words, AtomicBoolean timedOut) {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), Charset.defaultCharset()))) {
            for (String line; (line = out.readLine()) != null; ) {
                getLog().info(line);
            }
        } catch (IOException e) {
            if (!timedOut.get()) { // stopping the child closes its stream: nothing was lost then
                getLog().warn("jobserver: lost the output of " + words + ": " + e.getMessage());
            }
        }
    }

    /** A guardian that stops the child if this JVM dies while it runs; null when none can run here. */
    private Guardian guard(Process child, List<String> words) {
        long pid = ChildTree.pid(child);
        if (pid < 0 || !Guardian.enabled()) {
            return null;
        }
        try {
            return Guardian.ofChild(pid);
        } catch (IOException e) {
            getLog().debug("jobserver: " + words + " runs without a guardian: " + e.getMessage());
            return null;
        }
    }

    private static void closeQuietly(Guardian guardian) {
        if (guardian != null) {
            guardian.close();
        }
    }

    private static void stopQuietly(Process child) {
        try {
            ChildTree.stop(child, GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
