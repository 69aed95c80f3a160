package io.github.jobserver.maven;

import static io.github.jobserver.maven.Mojos.execution;
import static io.github.jobserver.maven.Waits.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.Lookup;
import io.github.jobserver.RealPipe;
import io.github.jobserver.session.SessionJobserver;
import java.nio.file.Path;
import java.util.Collections;
import org.apache.maven.plugin.MojoExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one line per build for a goal whose native children cannot reach make's jobserver: under a real pipe
 * (this JVM's own, as make 4.3 hands one down), and nothing under a real FIFO or with no jobserver.
 */
@Timeout(60)
class NativeGoalsTest {
    private static final MojoExecution EXEC = execution("org.codehaus.mojo", "exec-maven-plugin", "exec");
    private static final MojoExecution ANTRUN = antrun("target", "exec");

    @TempDir
    Path dir;

    /** The line's words, as src/it/exec and docs/EXTENSION.md show them, for each goal of the table. */
    @ParameterizedTest
    @CsvSource({
        "org.codehaus.mojo, exec-maven-plugin, exec, exec:exec",
        "org.apache.maven.plugins, maven-antrun-plugin, run, antrun:run",
        "io.github.cmake-maven-plugin, cmake-maven-plugin, compile, cmake:compile",
        "com.googlecode.cmake-maven-project, cmake-maven-plugin, compile, cmake:compile",
    })
    void theLineNamesTheGoalAndTheRemedies(String group, String artifact, String goal, String name) throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            SlotPolicy policy = pipePolicy(pipe);
            MojoExecution execution = execution(group, artifact, goal);
            execution.setConfiguration(ANTRUN.getConfiguration());
            assertEquals(
                    "jobserver: " + name + "'s commands cannot reach make's jobserver, a pipe (Java closes its"
                            + " descriptors in a child): a make among them runs -j1, or its own -jN outside the"
                            + " limit; use jobserver:serve, or make 4.4 with --jobserver-style=fifo",
                    new NativeGoals().line(policy, execution, new Mojo(false)));
            policy.stop();
        }
    }

    @Test
    void oneLinePerBuildAtTheFirstExecution() throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            NativeGoals goals = new NativeGoals();
            SlotPolicy build = pipePolicy(pipe);
            assertEquals(NativeGoals.line("exec:exec"), goals.line(build, EXEC, new Mojo(false)));
            assertNull(goals.line(build, EXEC, new Mojo(false)), "a second module's exec:exec");
            assertNull(goals.line(build, ANTRUN, new Mojo(false)), "another goal of the list, the same build");
            build.stop();
            SlotPolicy next = pipePolicy(pipe);
            assertEquals(
                    NativeGoals.line("antrun:run"),
                    goals.line(next, ANTRUN, new Mojo(false)),
                    "the next build (an mvnd daemon's) says it again");
            next.stop();
        }
    }

    @Test
    void aGoalNotListedSaysNothingAndLeavesTheLineToTheNext() throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            NativeGoals goals = new NativeGoals();
            SlotPolicy policy = pipePolicy(pipe);
            Mojo mojo = new Mojo(false);
            assertNull(
                    goals.line(policy, execution("org.codehaus.mojo", "exec-maven-plugin", "java"), mojo),
                    "in the JVM");
            assertNull(goals.line(policy, execution("maven-compiler-plugin", "compile"), mojo));
            assertNull(
                    goals.line(policy, execution("org.example", "exec-maven-plugin", "exec"), mojo), "another plugin");
            assertNull(goals.line(
                    policy, execution("io.github.cmake-maven-plugin", "cmake-maven-plugin", "generate"), mojo));
            assertEquals(NativeGoals.line("exec:exec"), goals.line(policy, EXEC, mojo));
            policy.stop();
        }
    }

    @Test
    void aSkippedExecutionStartsNothingAndSaysNothing() throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            NativeGoals goals = new NativeGoals();
            SlotPolicy policy = pipePolicy(pipe);
            assertNull(goals.line(policy, EXEC, new Mojo(true)), "exec.skip");
            assertEquals(NativeGoals.line("antrun:run"), goals.line(policy, ANTRUN, new Mojo(false)));
            policy.stop();
        }
    }

    /**
     * antrun says it only for a target that starts a process: the README's demo (echo and sleep) says nothing,
     * src/it/exec's target (an exec of make) does. The task may sit inside another, under antrun 1.x's
     * {@code tasks}, or carry a namespace prefix.
     */
    @ParameterizedTest
    @CsvSource({
        "target, exec, true",
        "target, sequential/parallel/exec, true",
        "target, apply, true",
        "target, ac:shellscript, true",
        "tasks, exec, true",
        "target, echo/sleep, false",
        "target, java, false",
        "target, executable, false",
        "source, exec, false",
    })
    void antrunSaysItOnlyForATargetThatStartsAProcess(String holder, String tasks, boolean starts) throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            SlotPolicy policy = pipePolicy(pipe);
            String line = new NativeGoals().line(policy, antrun(holder, tasks), new Mojo(false));
            assertEquals(starts ? NativeGoals.line("antrun:run") : null, line, holder + ": " + tasks);
            policy.stop();
        }
    }

    @Test
    void antrunWithNoConfigurationSaysNothing() throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            SlotPolicy policy = pipePolicy(pipe);
            assertNull(new NativeGoals().line(policy, execution("maven-antrun-plugin", "run"), new Mojo(false)));
            policy.stop();
        }
    }

    /** make 4.4's FIFO: a child opens it by the path in MAKEFLAGS, so nothing is said. */
    @Test
    void underAFifoNothingIsSaid() throws Exception {
        try (JobserverServer server = JobserverServer.create(4, dir)) {
            SlotPolicy policy = new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), 4);
            assertNull(new NativeGoals().line(policy, EXEC, new Mojo(false)));
            policy.stop();
        }
    }

    /** The build's own jobserver: a FIFO, but in no environment a child inherits. */
    @Test
    void underTheBuildsOwnJobserverTheLineSaysSo() throws Exception {
        try (JobserverServer server = JobserverServer.create(2, dir)) {
            System.setProperty(SessionJobserver.OWN_MAKEFLAGS_PROPERTY, server.makeflags());
            SlotPolicy policy = new DynamicPolicy.PerModule(connect(server), Collections.emptyMap(), 2);
            assertEquals(
                    "jobserver: exec:exec's commands cannot reach the build's own jobserver (their environment is"
                            + " the JVM's, without MAKEFLAGS): a make among them runs -j1, or its own -jN outside"
                            + " the limit; use jobserver:serve",
                    new NativeGoals().line(policy, EXEC, new Mojo(false)));
            policy.stop();
        } finally {
            System.clearProperty(SessionJobserver.OWN_MAKEFLAGS_PROPERTY);
        }
    }

    /** Outside make, or with {@code jobserver.mode=off}: the session's policy is {@link SlotPolicy#NONE}. */
    @Test
    void withNoJobserverNothingIsSaid() {
        assertNull(new NativeGoals().line(SlotPolicy.NONE, EXEC, new Mojo(false)));
        assertNull(new NativeGoals().line(SlotPolicy.NONE, ANTRUN, null));
    }

    /**
     * antrun's execution with the configuration {@code <holder>} holding {@code tasks}: slash-separated tasks
     * nested in one another ({@code sequential/exec}), each beside an {@code echo}.
     */
    private static MojoExecution antrun(String holder, String tasks) {
        Xpp3Dom configuration = new Xpp3Dom("configuration");
        Xpp3Dom parent = new Xpp3Dom(holder);
        configuration.addChild(parent);
        for (String task : tasks.split("/")) {
            parent.addChild(new Xpp3Dom("echo"));
            Xpp3Dom child = new Xpp3Dom(task);
            parent.addChild(child);
            parent = child;
        }
        MojoExecution execution = execution("maven-antrun-plugin", "run");
        execution.setConfiguration(configuration);
        return execution;
    }

    private static SlotPolicy pipePolicy(RealPipe pipe) {
        Lookup lookup = Jobserver.connect(pipe.auth());
        Jobserver js = lookup.jobserver().orElseThrow(() -> new AssertionError(lookup.toString()));
        return new DynamicPolicy.PerModule(js, Collections.emptyMap(), 4);
    }

    /** A configured mojo with exec's and antrun's {@code skip} field. */
    static final class Mojo {
        private final boolean skip;

        Mojo(boolean skip) {
            this.skip = skip;
        }
    }
}
