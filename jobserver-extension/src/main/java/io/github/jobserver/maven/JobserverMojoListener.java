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
 * Per mojo execution: under Maven 4's concurrent builder (dynamic mode) each mojo execution holds a slot
 * while it runs, on the thread that runs it; a thread never waits for a slot while holding one, so the
 * builder cannot deadlock on the jobserver. In every mode, a surefire or failsafe execution that forks k
 * test JVMs at once holds k slots: its module's (or its mojo's) and k-1 more taken without waiting, and its
 * {@code forkCount} is lowered to the slots it holds (see {@link Forks}).
 */
@Named
@Singleton
public class JobserverMojoListener implements MojoExecutionListener {
    private static final Logger LOG = LoggerFactory.getLogger(JobserverMojoListener.class);
    private final JobserverState state;

    @Inject
    public JobserverMojoListener(JobserverState state) {
        this.state = state;
    }

    @Override
    public void beforeMojoExecution(MojoExecutionEvent event) throws MojoExecutionException {
        String module = JobserverProjectListener.id(event.getProject());
        // a mojo that failed with MojoExecutionException gets no afterExecutionFailure (docs/FACTS.md, "Maven's hooks"): what it
        // held is still held, and goes back before this thread waits for another slot
        state.releaseForkSlots(module);
        if (state.perMojo()) {
            String key = JobserverState.threadKey();
            state.releaseFor(key);
            try {
                state.acquireFor(key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MojoExecutionException("jobserver: interrupted while waiting for a job slot", e);
            } catch (IOException | CancellationException e) {
                throw new MojoExecutionException("jobserver: no job slot: " + e.getMessage(), e);
            }
        }
        forks(event, module);
    }

    /** A forking test execution: hold a slot per JVM it may run at once, and let it run no more. */
    private void forks(MojoExecutionEvent event, String module) {
        if (!state.jobserver().isPresent()) {
            return; // no jobserver: nothing to hold
        }
        int limit = state.forkLimit();
        Object mojo = event.getMojo();
        int requested = mojo == null ? 0 : Forks.requested(mojo, event.getExecution());
        if (requested == 0) {
            return;
        }
        int allowed = Math.min(requested, Math.max(1, limit));
        int forks = 1 + state.takeForkSlots(module, allowed - 1);
        String what = Forks.name(event.getExecution()) + " of " + event.getProject().getArtifactId();
        if (!Forks.limit(mojo, forks)) {
            state.releaseForkSlots(module);
            LOG.warn("jobserver: cannot set the forkCount of {}; it forks up to {} JVMs on one slot", what, requested);
            return;
        }
        String why = forks == requested ? ""
                : " (forkCount " + requested + (allowed < requested ? " is above the limit of " + allowed : "")
                        + (forks == allowed ? "" : forks == 1 ? "; no other slot was free"
                                : "; " + JobserverLifecycleParticipant.count(forks - 1, "other slot") + " free") + ")";
        LOG.info("jobserver: {} forks up to {}{}, holding {}", what,
                JobserverLifecycleParticipant.count(forks, "JVM"), why,
                JobserverLifecycleParticipant.count(forks, "slot"));
    }

    @Override
    public void afterMojoExecutionSuccess(MojoExecutionEvent event) {
        state.releaseForkSlots(JobserverProjectListener.id(event.getProject()));
        if (state.perMojo()) {
            state.releaseFor(JobserverState.threadKey());
        }
    }

    @Override
    public void afterExecutionFailure(MojoExecutionEvent event) {
        state.releaseForkSlots(JobserverProjectListener.id(event.getProject()));
        if (state.perMojo()) {
            state.releaseFor(JobserverState.threadKey());
        }
    }
}
