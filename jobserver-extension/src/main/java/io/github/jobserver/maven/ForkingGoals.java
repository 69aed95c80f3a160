package io.github.jobserver.maven;

import org.apache.maven.plugin.MojoExecution;

/**
 * The kinds of goal that run several processes at once, asked in order before every mojo under make. A new
 * kind is one {@link ForkingGoal} subclass and one entry in {@link #KNOWN}; {@link Forks} and the listener do
 * not change. A plain array: this runs at every mojo (docs/FACTS.md, "Code on the start-up path").
 */
final class ForkingGoals {
    private static final ForkingGoal[] KNOWN = {new SurefireForks(), new InvokerForks()};

    private ForkingGoals() {}

    /** The kind of this execution's goal; null when it runs one process at most, as far as we know. */
    static ForkingGoal of(MojoExecution execution) {
        for (ForkingGoal goal : KNOWN) {
            if (goal.matches(execution)) {
                return goal;
            }
        }
        return null;
    }
}
