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
 * Tells the session's {@link SlotPolicy} when a module starts and ends. Maven calls this on the builder
 * thread before "Building X" and after the module ends, so a module waiting for a slot simply starts later.
 */
@Named
@Singleton
public class JobserverProjectListener implements ProjectExecutionListener {
    private final SessionSlots session;

    @Inject
    public JobserverProjectListener(SessionSlots session) {
        this.session = session;
    }

    static String moduleKey(MavenProject project) {
        return SessionJobserver.moduleKey(project.getGroupId(), project.getArtifactId(), project.getVersion());
    }

    @Override
    public void beforeProjectExecution(ProjectExecutionEvent event) throws LifecycleExecutionException {
        try {
            session.policy().beforeModule(moduleKey(event.getProject()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LifecycleExecutionException("jobserver: interrupted while waiting for a job slot", e);
        } catch (IOException | CancellationException e) {
            throw new LifecycleExecutionException(
                    "jobserver: no job slot for " + moduleKey(event.getProject()) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void beforeProjectLifecycleExecution(ProjectExecutionEvent event) {
        // the slot is taken before the project starts; nothing more per lifecycle
    }

    @Override
    public void afterProjectExecutionSuccess(ProjectExecutionEvent event) {
        session.policy().afterModule(moduleKey(event.getProject()), false);
    }

    @Override
    public void afterProjectExecutionFailure(ProjectExecutionEvent event) {
        // a failed mojo gets no afterExecutionFailure (docs/FACTS.md, "Maven's hooks"): what it held goes here
        session.policy().afterModule(moduleKey(event.getProject()), true);
    }
}
