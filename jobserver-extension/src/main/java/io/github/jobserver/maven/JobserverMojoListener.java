package io.github.jobserver.maven;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.execution.MojoExecutionEvent;
import org.apache.maven.execution.MojoExecutionListener;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Dynamic mode under Maven 4's concurrent builder: each mojo execution holds a slot while it runs, on
 * the thread that runs it. A thread never waits for a slot while holding one, so the builder cannot
 * deadlock on the jobserver.
 */
@Named
@Singleton
public class JobserverMojoListener implements MojoExecutionListener {
    private final JobserverState state;

    @Inject
    public JobserverMojoListener(JobserverState state) {
        this.state = state;
    }

    @Override
    public void beforeMojoExecution(MojoExecutionEvent event) throws MojoExecutionException {
        if (!state.perMojo()) {
            return;
        }
        String key = JobserverState.threadKey();
        // a mojo that failed with MojoExecutionException gets no afterExecutionFailure (NOTES §4): its
        // slot is still held by this thread, and goes back before the thread waits for another
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

    @Override
    public void afterMojoExecutionSuccess(MojoExecutionEvent event) {
        if (state.perMojo()) {
            state.releaseFor(JobserverState.threadKey());
        }
    }

    @Override
    public void afterExecutionFailure(MojoExecutionEvent event) {
        if (state.perMojo()) {
            state.releaseFor(JobserverState.threadKey());
        }
    }
}
