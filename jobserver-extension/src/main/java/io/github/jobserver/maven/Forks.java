package io.github.jobserver.maven;

import org.apache.maven.plugin.MojoExecution;

/**
 * The slots one execution of a {@link ForkingGoal} holds, and the line that says so. An execution that may
 * run k processes at once holds k slots while it runs: its module's (or its mojo's) and k-1 extra slots,
 * taken without waiting (so no thread waits for a slot while holding one), never more than the policy's fork
 * limit; its setting is then lowered to the slots it holds. A mojo that does not let its setting be lowered
 * gives the extra slots back at once and runs as configured on one slot.
 */
final class Forks {
    /** {@code surefire:test of f1}. */
    private final String execution;

    private final ForkingGoal goal;
    /** The processes the execution asked for, more than one. */
    private final int requested;
    /** {@link #requested}, capped by the fork limit. */
    private final int allowed;
    /** The slots held: 1 (the module's) and the extra slots that were free, at most {@link #allowed}. */
    private final int held;
    /** Whether the mojo now runs at most {@link #held} processes. */
    private final boolean lowered;

    Forks(String execution, ForkingGoal goal, int requested, int allowed, int held, boolean lowered) {
        this.execution = execution;
        this.goal = goal;
        this.requested = requested;
        this.allowed = allowed;
        this.held = held;
        this.lowered = lowered;
    }

    /**
     * Before the mojo runs, on its thread, after its module's (or its mojo's) slot is held: takes a slot per
     * process it may run at once and lowers it to that. Null when there is nothing to hold: no jobserver, or
     * not a goal of {@link ForkingGoals}, or it runs one process at most.
     *
     * @param project the module's artifactId, for the log line
     */
    static Forks hold(SlotPolicy policy, String moduleKey, MojoExecution execution, Object mojo, String project) {
        if (mojo == null || !policy.jobserver().isPresent()) {
            return null;
        }
        ForkingGoal goal = ForkingGoals.of(execution);
        if (goal == null) {
            return null;
        }
        int requested = goal.requested(mojo);
        if (requested <= 1) {
            return null; // one process runs on the slot the module already holds
        }
        int allowed = Math.min(requested, Math.max(1, policy.forkLimit()));
        int held = 1 + policy.acquireExtra(moduleKey, allowed - 1);
        boolean lowered = goal.lower(mojo, held);
        if (!lowered) {
            policy.giveBackExtra(moduleKey);
        }
        return new Forks(goal.name(execution) + " of " + project, goal, requested, allowed, held, lowered);
    }

    /** Whether the mojo runs at most the slots it holds; false and the line is a WARN. */
    boolean lowered() {
        return lowered;
    }

    /** The one line that says what the execution holds (INFO), or that it could not be lowered (WARN). */
    String line() {
        if (!lowered) {
            return "jobserver: cannot set the " + goal.parameter + " of " + execution + "; it forks up to "
                    + JobserverDecision.count(requested, goal.process) + " on one slot";
        }
        return "jobserver: " + execution + " forks up to " + JobserverDecision.count(held, goal.process) + why()
                + ", holding " + JobserverDecision.count(held, "slot");
    }

    /** Why fewer run than were asked for: the limit, the slots free; empty when all run. */
    private String why() {
        if (held == requested) {
            return "";
        }
        StringBuilder why =
                new StringBuilder(" (").append(goal.parameter).append(' ').append(requested);
        if (allowed < requested) {
            why.append(" is above the limit of ").append(allowed);
        }
        if (held < allowed && held == 1) {
            why.append("; no other slot was free");
        } else if (held < allowed) {
            why.append("; ")
                    .append(JobserverDecision.count(held - 1, "other slot"))
                    .append(" free");
        }
        return why.append(')').toString();
    }
}
