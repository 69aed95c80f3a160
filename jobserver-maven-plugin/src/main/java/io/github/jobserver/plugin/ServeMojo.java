package io.github.jobserver.plugin;

import io.github.jobserver.ClientLauncher;
import io.github.jobserver.JobserverAuth;
import io.github.jobserver.session.SessionJobserver;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
     * Slots of the jobserver this goal creates when Maven runs under none: a number, or {@code auto} for the
     * processors the JVM sees; 0 means Maven's {@code -T} when above 1, else the processors. Ignored when the
     * child joins Maven's jobserver: make's, or the build's own, which the extension starts for the same
     * property ({@code -Djobserver.jobs=N} outside make), so both mean one limit of N.
     */
    @Parameter(property = "jobserver.jobs", defaultValue = "0")
    private String jobs;

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

    /**
     * Keeps a job count in the child's own command ({@code make -j4}, {@code ninja -j4}, {@code cargo build -j 4})
     * instead of dropping it, with a warning: the child then runs that many jobs of its own, outside the
     * jobserver's limit. By default the count is dropped (saying so), and the child's jobs come from the
     * jobserver. Which options are read: {@link ChildJobs}.
     *
     * @since 0.2
     */
    @Parameter(property = "jobserver.keepJobs", defaultValue = "false")
    private boolean keepJobs;

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
        words = withoutOwnJobs(words, executable);
        String moduleKey = project != null
                ? SessionJobserver.moduleKey(project.getGroupId(), project.getArtifactId(), project.getVersion())
                : "";
        SlotSource.Lease lease;
        try {
            // the build's own jobserver is found there as make's is
            lease = SlotSource.lease(
                    SessionJobserver.environment(System.getenv()), slots(), moduleKey, relay, getLog());
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

    /** The slots of the jobserver this goal creates when Maven runs under none: see {@link #jobs}. */
    private int slots() {
        String value = jobs == null ? "0" : jobs.trim();
        if ("auto".equalsIgnoreCase(value)) {
            return Runtime.getRuntime().availableProcessors();
        }
        int n = -1;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            // said below
        }
        if (n > 0) {
            return n;
        }
        if (n < 0) {
            getLog().warn("jobserver: jobserver.jobs=" + jobs + " is not a positive number or auto; ignored");
        }
        int threads = session.getRequest().getDegreeOfConcurrency();
        return threads > 1 ? threads : Runtime.getRuntime().availableProcessors();
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

    /** The words without the child's own job count, saying what was dropped; or kept, with a warning. */
    private List<String> withoutOwnJobs(List<String> words, String executable) {
        ChildJobs own = ChildJobs.find(words, ChildStyle.program(executable));
        if (own.dropped.isEmpty()) {
            return words;
        }
        String name = words.get(0).substring(words.get(0).lastIndexOf('/') + 1);
        String count = String.join(", ", own.dropped);
        if (keepJobs) {
            getLog().warn("jobserver: kept " + count + " in " + name + "'s command (jobserver.keepJobs): its jobs "
                    + "run outside the jobserver's limit, which is then yours to keep");
            return words;
        }
        getLog().info("jobserver: dropped " + count + " from " + name + "'s command: its jobs come from the "
                + "jobserver (jobserver.keepJobs=true keeps it)");
        return own.words;
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
        ProcessBuilder builder = childProcess(words, executable, directory, env, lease);
        ChildRun.Ending ending;
        try {
            ending = ChildRun.run(builder, words.toString(), timeout, GRACE_MILLIS, lease, getLog());
        } catch (IOException e) {
            throw new MojoExecutionException("jobserver: cannot start " + words + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("jobserver: interrupted while " + words + " ran", e);
        }
        if (ending.timedOut) {
            throw new MojoFailureException("jobserver: " + words + " timed out after " + timeout
                    + " s and was stopped, with everything it started");
        }
        if (ending.exit != 0) {
            throw new MojoFailureException("jobserver: " + words + " exited " + ending.exit);
        }
    }

    /** The child's process, given the lease's jobserver in the style it reads. */
    private ProcessBuilder childProcess(
            List<String> words, String executable, File directory, Map<String, String> env, SlotSource.Lease lease)
            throws MojoExecutionException {
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
        return builder;
    }
}
