package io.github.jobserver.maven;

import io.github.jobserver.session.SessionJobserver;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.execution.ProjectExecutionEvent;
import org.apache.maven.execution.ProjectExecutionListener;
import org.apache.maven.lifecycle.LifecycleExecutionException;
import org.apache.maven.project.MavenProject;

/**
 * Dynamic mode: each module build holds a job slot while it runs. Maven calls this on the builder
 * thread before "Building X" and after the module ends, so a waiting module simply starts later. Claim
 * mode: each module holds one of the claimed slots, so that the slots a module's forks hold are not also
 * run by another module.
 */
@Named
@Singleton
public class JobserverProjectListener implements ProjectExecutionListener {
    private final JobserverState state;

    @Inject
    public JobserverProjectListener(JobserverState state) {
        this.state = state;
    }

    static String id(MavenProject project) {
        return SessionJobserver.moduleKey(project.getGroupId(), project.getArtifactId(), project.getVersion());
    }

    @Override
    public void beforeProjectExecution(ProjectExecutionEvent event) throws LifecycleExecutionException {
        if (!state.gatesModules()) {
            return;
        }
        try {
            state.acquireFor(id(event.getProject()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LifecycleExecutionException("jobserver: interrupted while waiting for a job slot", e);
        } catch (IOException | CancellationException e) {
            throw new LifecycleExecutionException("jobserver: no job slot for " + id(event.getProject()) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void beforeProjectLifecycleExecution(ProjectExecutionEvent event) {
        // the slot is taken before the project starts; nothing more per lifecycle
    }

    @Override
    public void afterProjectExecutionSuccess(ProjectExecutionEvent event) {
        state.releaseForkSlots(id(event.getProject()));
        state.releaseFor(id(event.getProject()));
    }

    @Override
    public void afterProjectExecutionFailure(ProjectExecutionEvent event) {
        // a failed mojo gets no afterExecutionFailure (see JobserverMojoListener): its forks' slots go here
        state.releaseForkSlots(id(event.getProject()));
        state.releaseFor(id(event.getProject()));
        if (state.perMojo()) {
            state.releaseFor(JobserverState.threadKey()); // a failed mojo's slot (see JobserverMojoListener)
        }
    }
}
