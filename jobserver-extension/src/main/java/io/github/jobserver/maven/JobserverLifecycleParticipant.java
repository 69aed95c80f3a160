package io.github.jobserver.maven;

import io.github.jobserver.MakeFlags;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Provider;
import javax.inject.Singleton;
import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.execution.MavenSession;
import org.eclipse.aether.RepositorySystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes Maven's parallelism from make's jobserver, or, outside make with {@code -Djobserver.jobs=N}, from a
 * jobserver of the build's own. Runs in {@code afterProjectsRead}, not
 * {@code afterSessionStart}: a POM error after the session starts skips {@code afterSessionEnd}, and
 * tokens taken then were lost (docs/FACTS.md, "Maven's hooks").
 */
@Named("jobserver")
@Singleton
public class JobserverLifecycleParticipant extends AbstractMavenLifecycleParticipant {
    private static final Logger LOG = LoggerFactory.getLogger(JobserverLifecycleParticipant.class);

    private final SessionSlots sessionSlots;
    private final Provider<RepositorySystem> repositories;

    @Inject
    public JobserverLifecycleParticipant(SessionSlots sessionSlots, Provider<RepositorySystem> repositories) {
        this.sessionSlots = sessionSlots;
        this.repositories = repositories;
    }

    @Override
    public void afterProjectsRead(MavenSession session) {
        long start = System.nanoTime();
        try {
            decide(session, System.getenv());
        } finally {
            LOG.debug("jobserver: decided in {} us", (System.nanoTime() - start) / 1000);
        }
    }

    /** Decides for a session whose process environment is {@code env}. */
    void decide(MavenSession session, Map<String, String> env) {
        JobserverSettings settings = JobserverSettings.read(session.getUserProperties(), session.getSystemProperties());
        if (settings.problem != null) {
            LOG.warn("jobserver: {}", settings.problem);
        }
        if (settings.mode == JobserverSettings.Mode.OFF) {
            LOG.debug("jobserver: {}=off", JobserverSettings.MODE);
            return;
        }
        if (!MakeFlags.inEnvironment(env)) {
            if (settings.jobs > 0) {
                new JobserverDecision(sessionSlots, repositories).decideOwn(session, settings);
                return;
            }
            // outside make, not asked to be a jobserver: nothing of the protocol is loaded or run (bench/startup)
            LOG.debug("jobserver: none (no {} in the environment)", MakeFlags.VARIABLES);
            return;
        }
        new JobserverDecision(sessionSlots, repositories).decide(session, settings, env);
    }

    @Override
    public void afterSessionEnd(MavenSession session) {
        sessionSlots.stop();
    }
}
