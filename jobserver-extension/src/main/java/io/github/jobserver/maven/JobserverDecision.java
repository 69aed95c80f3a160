package io.github.jobserver.maven;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverAuth;
import io.github.jobserver.Lookup;
import io.github.jobserver.MakeFlags;
import io.github.jobserver.NoJobserver;
import io.github.jobserver.Slot;
import io.github.jobserver.maven.ReactorWidth.Reactor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Provider;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.eclipse.aether.RepositorySystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a build under make runs with: the jobserver looked up from MAKEFLAGS (or the build's own, {@link
 * OwnJobserver}), the threads, the slot policy, and the session started under it. A class of its own so that a
 * build outside make without {@code jobserver.jobs} never loads it, nor the protocol classes it uses ({@link
 * JobserverLifecycleParticipant} returns before; bench/startup).
 */
final class JobserverDecision {
    private static final Logger LOG = LoggerFactory.getLogger(JobserverLifecycleParticipant.class);
    private static final String SINGLE = "singlethreaded";
    private static final String MULTI = "multithreaded";
    /** Maven 4's builder that runs steps of many modules interleaved (-b concurrent). */
    private static final String CONCURRENT = "concurrent";

    private final SessionSlots sessionSlots;
    private final Provider<RepositorySystem> repositories;

    JobserverDecision(SessionSlots sessionSlots, Provider<RepositorySystem> repositories) {
        this.sessionSlots = sessionSlots;
        this.repositories = repositories;
    }

    /** Decides for a session whose environment names make's variables ({@code env}). */
    void decide(MavenSession session, JobserverSettings settings, Map<String, String> env) {
        MakeFlags advertised = MakeFlags.fromEnvironment(env);
        Optional<JobserverAuth> auth = advertised.auth();
        if (!auth.isPresent() && settings.jobs > 0 && !advertised.dryRun()) {
            decideOwn(session, settings); // make's variables, but no jobserver in them: outside make's limit
            return;
        }
        if (auth.isPresent() && auth.get().style() == JobserverAuth.Style.PIPE && Mvnd.isDaemon()) {
            // the numbers name the client's descriptors; here they are the daemon's own files: never looked at
            noJobserver(NoJobserver.notInherited(auth.get(), "the mvnd client", Mvnd.REMEDY), session.getRequest());
            return;
        }
        if (auth.isPresent() && !jnrReady(session)) {
            return;
        }
        Lookup lookup = Jobserver.fromFlags(advertised);
        MavenExecutionRequest request = session.getRequest();
        if (!lookup.jobserver().isPresent()) {
            noJobserver(lookup.absence(), request);
            return;
        }
        Jobserver js = lookup.jobserver().get();
        MakeFlags flags = lookup.makeFlags().get();
        if (flags.dryRun()) {
            LOG.info("jobserver: {}, dry run (make -n): no tokens taken", flags.describe());
            close(js);
            return;
        }
        String limitNote = limitNote(settings, flags);
        if (limitNote != null) {
            LOG.info(limitNote);
        }
        Cap limit = flags.jobs().isPresent()
                ? new Cap(flags.jobs().getAsInt(), "make -j" + flags.jobs().getAsInt())
                : null;
        run(session, settings, js, flags.describe(), limit, null);
    }

    /** Under make's jobserver, the line saying that make's limit wins over a different {@code jobserver.jobs}; or null. */
    static String limitNote(JobserverSettings settings, MakeFlags flags) {
        if (settings.jobs == 0 || settings.jobs == flags.jobs().orElse(0)) {
            return null;
        }
        return "jobserver: " + settings.jobsSetting + " ignored: make's jobserver sets the limit (" + flags.describe()
                + ")";
    }

    /**
     * Decides for a build outside make's jobserver that asks for one of its own ({@code jobserver.jobs}): starts
     * it and runs as its client, exactly as under make. When it cannot start, one WARN and the build runs as
     * without the setting.
     */
    void decideOwn(MavenSession session, JobserverSettings settings) {
        if (!jnrReady(session)) {
            return;
        }
        OwnJobserver own;
        try {
            own = OwnJobserver.start(settings.jobs, settings.jobsAuto);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "jobserver: cannot start the build's own jobserver ({}): {}; running without it",
                    settings.jobsSetting,
                    e.getMessage());
            return;
        }
        boolean started = false;
        try {
            run(session, settings, own.client(), own.describe(), new Cap(settings.jobs, settings.jobsSetting), own);
            started = true;
        } finally {
            if (!started) {
                own.close();
            }
        }
    }

    /** Whether the jnr back end, when this platform needs it, can be loaded; when not, says why. */
    private boolean jnrReady(MavenSession session) {
        if (Jobserver.needsJnr()) {
            String problem = JnrLoader.ensure(session, repositories);
            if (problem != null) {
                LOG.warn("jobserver: ignored, the jnr back end is unavailable: {}", problem);
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the session under {@code js}: chooses the policy, sets the threads, says so in one line, and starts
     * the session's slots.
     *
     * @param source the jobserver for the log: {@code make -j4 (fifo PATH)}, {@code own jobserver -j4 (fifo PATH)}
     * @param limit the jobserver's N and its name, or null when make did not say
     * @param own the build's own jobserver, closed after the session gave everything back; null under make
     */
    private void run(
            MavenSession session,
            JobserverSettings settings,
            Jobserver js,
            String source,
            Cap limit,
            OwnJobserver own) {
        MavenExecutionRequest request = session.getRequest();
        LOG.debug("jobserver: builder {}, degree {}", request.getBuilderId(), request.getDegreeOfConcurrency());
        Reactor reactor = Reactor.of(session);
        Cap cap = cap(limit, settings, request, reactor, true);
        boolean perMojo = CONCURRENT.equals(request.getBuilderId());
        // forks: never more slots for one execution than the jobserver's -jN (dynamic) or the claim
        int makeLimit = limit != null ? limit.value : Integer.MAX_VALUE;
        SlotPolicy policy;
        int threads;
        if (settings.mode == JobserverSettings.Mode.CLAIM) {
            List<Slot> claimed = new ArrayList<>();
            try {
                js.tryAcquireAll(claimed, cap.value);
            } catch (IOException | RuntimeException e) {
                // the slots taken before the failure are kept and used: the thread count follows them
                LOG.warn(
                        "jobserver: cannot take tokens from {}: {}; running {}",
                        source,
                        e.getMessage(),
                        count(Math.max(1, claimed.size()), "thread"));
            }
            threads = Math.max(1, claimed.size());
            LOG.info(
                    "jobserver: {}, claim, {} claimed, {} ({})",
                    source,
                    count(js.tokensHeld(), "token"),
                    count(threads, "thread"),
                    cap);
            // under the concurrent builder modules cannot wait for a claimed slot: nothing is lent to forks
            policy = new Claim(js, claimed, perMojo ? 0 : threads);
        } else if (perMojo) {
            threads = cap.value;
            LOG.info(
                    "jobserver: {}, dynamic (a slot per mojo: concurrent builder), up to {} ({})",
                    source,
                    count(threads, "thread"),
                    cap);
            policy = new DynamicPolicy.PerMojo(js, makeLimit);
        } else {
            Cap threadCap = cap(limit, settings, request, reactor, false);
            threads = threadCap.value;
            LOG.info(
                    "jobserver: {}, dynamic, up to {} at once ({}) on {}, longest chain first",
                    source,
                    cap.value,
                    cap,
                    count(threads, "thread"));
            policy = new DynamicPolicy.PerModule(js, reactor.heights, makeLimit);
        }
        setThreads(request, threads);
        sessionSlots.start(policy, js.auth().toString(), own != null ? own.makeflags() : null, own);
    }

    private void noJobserver(NoJobserver why, MavenExecutionRequest request) {
        switch (why.category()) {
            case ABSENT:
                LOG.debug("jobserver: none ({})", why);
                return;
            case BROKEN:
                // make's own words and remedy, and make's own answer: run one job
                LOG.warn(why.warning());
                request.setDegreeOfConcurrency(1);
                request.setBuilderId(SINGLE);
                return;
            default:
                LOG.warn("jobserver: ignored, {}", why);
        }
    }

    /** "1 thread", "4 threads". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static void setThreads(MavenExecutionRequest request, int threads) {
        request.setDegreeOfConcurrency(threads);
        if (threads > 1 && SINGLE.equals(request.getBuilderId())) {
            request.setBuilderId(MULTI); // the degree alone is ignored by the single-threaded builder
        }
    }

    /** The most threads worth running, and why. */
    static final class Cap {
        final int value;
        final String reason;

        Cap(int value, String reason) {
            this.value = value;
            this.reason = reason;
        }

        @Override
        public String toString() {
            return reason;
        }
    }

    /**
     * The most threads worth running, and why: the reactor's width, -T, {@code jobserver.max}, and, when
     * {@code byMake}, the jobserver's {@code limit} (make's -j, or {@code jobserver.jobs}; null when unknown). A dynamic build runs more threads than make's -j (one per module that
     * can build, each waiting in the queue for a slot), so that the queue, not Maven's FIFO of ready
     * modules, decides which runs next.
     */
    static Cap cap(
            Cap limit, JobserverSettings settings, MavenExecutionRequest request, Reactor reactor, boolean byMake) {
        int width = reactor.width;
        Cap cap = new Cap(width, width + (width == 1 ? " module" : " modules") + " can build at once");
        int threads = request.getDegreeOfConcurrency();
        // mvnd always passes a -T: its own default is not the user's cap (docs/EXTENSION.md, "mvnd")
        boolean asked = threads > 1 && !(Mvnd.isDaemon() && threads == Mvnd.automaticThreads());
        if (asked && threads < cap.value) {
            cap = new Cap(threads, "-T " + threads);
        }
        if (settings.max > 0 && settings.max < cap.value) {
            cap = new Cap(settings.max, JobserverSettings.MAX + "=" + settings.max);
        }
        if (byMake && limit != null && limit.value < cap.value) {
            cap = limit;
        }
        return cap;
    }

    private static void close(Jobserver js) {
        try {
            js.close();
        } catch (IOException e) {
            LOG.debug("jobserver: {}", e.toString());
        }
    }
}
