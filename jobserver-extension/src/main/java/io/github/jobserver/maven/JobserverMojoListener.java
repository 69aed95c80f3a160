package io.github.jobserver.maven;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.execution.MojoExecutionEvent;
import org.apache.maven.execution.MojoExecutionListener;
import org.apache.maven.plugin.MojoExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the session's {@link SlotPolicy} when a mojo starts and ends (under Maven 4's concurrent builder a
 * mojo execution holds the slot). In every policy, a surefire or failsafe execution that forks k test JVMs
 * at once holds k slots: its module's (or its mojo's) and k-1 more, taken without waiting, and its
 * {@code forkCount} is lowered to the slots it holds (see {@link Forks}).
 */
@Named
@Singleton
public class JobserverMojoListener implements MojoExecutionListener {
    private static final Logger LOG = LoggerFactory.getLogger(JobserverMojoListener.class);
    private final JobserverSession session;

    @Inject
    public JobserverMojoListener(JobserverSession session) {
        this.session = session;
    }

    @Override
    public void beforeMojoExecution(MojoExecutionEvent event) throws MojoExecutionException {
        String module = JobserverProjectListener.id(event.getProject());
        SlotPolicy policy = session.policy();
        try {
            policy.beforeMojo(module);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("jobserver: interrupted while waiting for a job slot", e);
        } catch (IOException | CancellationException e) {
            throw new MojoExecutionException("jobserver: no job slot: " + e.getMessage(), e);
        }
        forks(event, module, policy);
    }

    /** A forking test execution: hold a slot per JVM it may run at once, and let it run no more. */
    private static void forks(MojoExecutionEvent event, String module, SlotPolicy policy) {
        if (!policy.jobserver().isPresent()) {
            return; // no jobserver: nothing to hold
        }
        int limit = policy.forkLimit();
        Object mojo = event.getMojo();
        int requested = mojo == null ? 0 : Forks.requested(mojo, event.getExecution());
        if (requested == 0) {
            return;
        }
        int allowed = Math.min(requested, Math.max(1, limit));
        int forks = 1 + policy.acquireExtra(module, allowed - 1);
        String what =
                Forks.name(event.getExecution()) + " of " + event.getProject().getArtifactId();
        if (!Forks.limit(mojo, forks)) {
            policy.giveBackExtra(module);
            LOG.warn("jobserver: cannot set the forkCount of {}; it forks up to {} JVMs on one slot", what, requested);
            return;
        }
        String why = forks == requested
                ? ""
                : " (forkCount " + requested + (allowed < requested ? " is above the limit of " + allowed : "")
                        + (forks == allowed
                                ? ""
                                : forks == 1
                                        ? "; no other slot was free"
                                        : "; " + JobserverDecision.count(forks - 1, "other slot") + " free")
                        + ")";
        LOG.info(
                "jobserver: {} forks up to {}{}, holding {}",
                what,
                JobserverDecision.count(forks, "JVM"),
                why,
                JobserverDecision.count(forks, "slot"));
    }

    @Override
    public void afterMojoExecutionSuccess(MojoExecutionEvent event) {
        session.policy().afterMojo(JobserverProjectListener.id(event.getProject()));
    }

    @Override
    public void afterExecutionFailure(MojoExecutionEvent event) {
        session.policy().afterMojo(JobserverProjectListener.id(event.getProject()));
    }
}
