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
 * mojo execution holds the slot). In every policy, an execution that runs k processes at once (surefire's
 * forked test JVMs, invoker's nested builds: {@link ForkingGoals}) holds k slots, and runs no more: see
 * {@link Forks}. The first execution of a goal that starts native commands under a pipe, whose children cannot
 * reach it, says so once per build ({@link NativeGoals}).
 */
@Named
@Singleton
public class JobserverMojoListener implements MojoExecutionListener {
    private static final Logger LOG = LoggerFactory.getLogger(JobserverMojoListener.class);
    private final SessionSlots session;
    private final NativeGoals nativeGoals = new NativeGoals();

    @Inject
    public JobserverMojoListener(SessionSlots session) {
        this.session = session;
    }

    @Override
    public void beforeMojoExecution(MojoExecutionEvent event) throws MojoExecutionException {
        String moduleKey = JobserverProjectListener.moduleKey(event.getProject());
        SlotPolicy policy = session.policy();
        try {
            policy.beforeMojo(moduleKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("jobserver: interrupted while waiting for a job slot", e);
        } catch (IOException | CancellationException e) {
            throw new MojoExecutionException("jobserver: no job slot: " + e.getMessage(), e);
        }
        if (policy == SlotPolicy.NONE) {
            return; // outside make, or jobserver.mode=off: no slots to hold and nothing to say
        }
        forks(event, moduleKey, policy);
        String unreachable = nativeGoals.line(policy, event.getExecution(), event.getMojo());
        if (unreachable != null) {
            LOG.warn("{}", unreachable);
        }
    }

    /** A goal that runs several processes at once: a slot per process, and it runs no more. */
    private static void forks(MojoExecutionEvent event, String moduleKey, SlotPolicy policy) {
        Forks forks = Forks.hold(
                policy,
                moduleKey,
                event.getExecution(),
                event.getMojo(),
                event.getProject().getArtifactId());
        if (forks == null) {
            return;
        }
        if (forks.lowered()) {
            LOG.info("{}", forks.line());
        } else {
            LOG.warn("{}", forks.line());
        }
    }

    @Override
    public void afterMojoExecutionSuccess(MojoExecutionEvent event) {
        session.policy().afterMojo(JobserverProjectListener.moduleKey(event.getProject()));
    }

    @Override
    public void afterExecutionFailure(MojoExecutionEvent event) {
        session.policy().afterMojo(JobserverProjectListener.moduleKey(event.getProject()));
    }
}
