package io.github.jobserver.maven;

import org.apache.maven.plugin.MojoExecution;

/**
 * A kind of goal that runs several processes at once, each of which should hold a job slot: which executions
 * it is, how many processes the configured mojo asks for, and how to lower that. {@link Forks} takes the slots
 * and says so; the kinds known are listed in {@link ForkingGoals}. Everything here runs just before the mojo's
 * {@code execute()}, on the configured mojo, so a kind reads its setting by reflection (its plugin's classes
 * are not ours to link against).
 */
abstract class ForkingGoal {
    /** The mojo's setting that says how many processes run at once ({@code forkCount}), for the log line. */
    final String parameter;

    /** What one of those processes is ({@code JVM}), singular, for the log line. */
    final String process;

    ForkingGoal(String parameter, String process) {
        this.parameter = parameter;
        this.process = process;
    }

    /** Whether this execution is one of this kind's goals (by its plugin's coordinates, not yet its version). */
    abstract boolean matches(MojoExecution execution);

    /**
     * How many processes the configured mojo may run at once; 0 when it runs none or it cannot be read (an
     * old plugin without the setting, the goal skipped, a value the plugin itself refuses).
     */
    abstract int requested(Object mojo);

    /** Sets the mojo to run at most {@code processes} at once; false when the mojo does not allow it. */
    abstract boolean lower(Object mojo, int processes);

    /** Whether the execution's plugin is {@code org.apache.maven.plugins:artifact}. */
    static boolean isPlugin(MojoExecution execution, String artifact) {
        return "org.apache.maven.plugins".equals(execution.getGroupId()) && artifact.equals(execution.getArtifactId());
    }

    /** {@code surefire:test}, {@code failsafe:integration-test}: the execution's name in the log line. */
    String name(MojoExecution execution) {
        String prefix = execution.getArtifactId().replace("maven-", "").replace("-plugin", "");
        return prefix + ":" + execution.getGoal();
    }
}
