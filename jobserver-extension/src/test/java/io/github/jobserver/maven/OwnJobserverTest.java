package io.github.jobserver.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverAuth;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.MakeFlags;
import io.github.jobserver.Slot;
import io.github.jobserver.session.SessionJobserver;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build as its own jobserver ({@code -Djobserver.jobs=N} outside make), through the participant with a real
 * session of four modules at {@code -T 4}: a real server of N slots, its FIFO in the temporary directory, as
 * under make; and nothing at all without the setting.
 */
@Timeout(60)
class OwnJobserverTest {
    private static final Map<String, String> OUTSIDE_MAKE = Collections.emptyMap();

    private final SessionSlots sessionSlots = new SessionSlots();
    private final JobserverLifecycleParticipant participant = new JobserverLifecycleParticipant(sessionSlots, null);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        sessionSlots.stop();
    }

    private static MavenSession session(String... properties) {
        Properties user = new Properties();
        for (int i = 0; i < properties.length; i += 2) {
            user.setProperty(properties[i], properties[i + 1]);
        }
        MavenExecutionRequest request = new DefaultMavenExecutionRequest();
        request.setUserProperties(user);
        request.setDegreeOfConcurrency(4);
        request.setBuilderId("multithreaded");
        List<MavenProject> projects = new ArrayList<>();
        for (String name : new String[] {"a", "b", "c", "d"}) {
            MavenProject project = new MavenProject();
            project.setGroupId("g");
            project.setArtifactId(name);
            project.setVersion("1");
            projects.add(project);
        }
        return new MavenSession(null, request, new DefaultMavenExecutionResult(), projects);
    }

    @Test
    void outsideMakeTheBuildRunsAsClientOfItsOwnJobserverOfN() throws Exception {
        MavenSession session = session(JobserverSettings.JOBS, "3");
        participant.decide(session, OUTSIDE_MAKE);

        OwnJobserver own = sessionSlots.ownJobserver();
        assertNotNull(own, "a server was started");
        Path directory = own.fifo().getParent();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own.fifo())));
        // serve finds it as a child of make -j3 would
        MakeFlags advertised = MakeFlags.fromEnvironment(SessionJobserver.environment(OUTSIDE_MAKE));
        assertEquals(3, advertised.jobs().getAsInt());
        assertEquals(JobserverAuth.fifo(own.fifo()), advertised.auth().get());
        assertEquals(2, tokensIn(own.fifo()), "N-1 tokens in the pool");
        // as under make -j3 at -T 4: 4 module threads, at most 3 at once, forks within 3
        assertEquals(4, session.getRequest().getDegreeOfConcurrency());
        SlotPolicy policy = sessionSlots.policy();
        assertTrue(policy instanceof DynamicPolicy.PerModule, policy.toString());
        assertEquals(3, policy.forkLimit());
        assertSame(own.client(), sessionSlots.jobserver().get());

        // Ctrl-C's path: the session stops while two modules and a fork hold every slot
        policy.beforeModule("g:a:1");
        policy.beforeModule("g:b:1");
        assertEquals(1, policy.acquireExtra("g:b:1", 2));
        assertEquals(2, own.client().tokensHeld());
        sessionSlots.stop();

        JobserverServer.Report report = own.report();
        assertTrue(report.whole(), report.toString());
        assertEquals(2, report.expected());
        assertFalse(Files.exists(directory, LinkOption.NOFOLLOW_LINKS), "its directory is gone: " + directory);
        assertNull(System.getProperty(SessionJobserver.OWN_MAKEFLAGS_PROPERTY));
        assertNull(sessionSlots.ownJobserver());
    }

    @Test
    void claimModeClaimsTheOwnTokens() throws Exception {
        MavenSession session = session(JobserverSettings.JOBS, "3", JobserverSettings.MODE, "claim");
        participant.decide(session, OUTSIDE_MAKE);
        OwnJobserver own = sessionSlots.ownJobserver();
        assertEquals(3, session.getRequest().getDegreeOfConcurrency(), "the implicit slot and both tokens");
        assertEquals(2, own.client().tokensHeld());
        participant.afterSessionEnd(session);
        assertTrue(own.report().whole(), own.report().toString());
        assertFalse(Files.exists(own.fifo().getParent(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void autoIsTheProcessorsTheJvmSees() throws Exception {
        int processors = Runtime.getRuntime().availableProcessors();
        MavenSession session = session(JobserverSettings.JOBS, "auto");
        participant.decide(session, OUTSIDE_MAKE);
        OwnJobserver own = sessionSlots.ownJobserver();
        assertEquals(processors - 1, tokensIn(own.fifo()));
        assertEquals(processors, MakeFlags.parse(own.makeflags()).jobs().getAsInt());
        // the log says where the number came from (a container's quota can make it surprising)
        assertEquals(
                "own jobserver -j" + processors + " (auto: " + JobserverDecision.count(processors, "processor") + ", "
                        + JobserverAuth.fifo(own.fifo()) + ")",
                own.describe());
    }

    @Test
    void aNumberIsDescribedAsMakeDescribesItsOwn() throws Exception {
        participant.decide(session(JobserverSettings.JOBS, "3"), OUTSIDE_MAKE);
        OwnJobserver own = sessionSlots.ownJobserver();
        assertEquals("own jobserver -j3 (" + JobserverAuth.fifo(own.fifo()) + ")", own.describe());
    }

    @Test
    void oneIsAServerOfOneSlotSoForksToo() throws Exception {
        MavenSession session = session(JobserverSettings.JOBS, "1");
        participant.decide(session, OUTSIDE_MAKE);
        OwnJobserver own = sessionSlots.ownJobserver();
        assertEquals(0, tokensIn(own.fifo()));
        SlotPolicy policy = sessionSlots.policy();
        policy.beforeModule("g:a:1");
        assertEquals(0, policy.acquireExtra("g:a:1", 1), "no second test JVM beside the module");
    }

    @Test
    void withoutThePropertyNothingIsMadeOrSet() throws IOException {
        Set<String> before = ourDirectories();
        for (String[] properties : new String[][] {
            {},
            {JobserverSettings.JOBS, "0"},
            {JobserverSettings.JOBS, "-1"},
            {JobserverSettings.JOBS, "x"},
            {JobserverSettings.JOBS, "4", JobserverSettings.MODE, "off"}
        }) {
            MavenSession session = session(properties);
            participant.decide(session, OUTSIDE_MAKE);
            assertSame(SlotPolicy.NONE, sessionSlots.policy(), String.join("=", properties));
            assertNull(sessionSlots.ownJobserver());
            assertEquals(4, session.getRequest().getDegreeOfConcurrency(), "Maven's -T stands");
        }
        assertNull(System.getProperty(SessionJobserver.OWN_MAKEFLAGS_PROPERTY));
        assertNull(System.getProperty(SessionJobserver.RUNNING_PROPERTY));
        assertEquals(before, ourDirectories(), "no directory of this JVM in " + temporaryDirectory());
    }

    @Test
    void underMakeMakesLimitWinsAndADifferentValueIsNamed() throws Exception {
        try (JobserverServer make = JobserverServer.create(2, dir)) {
            Map<String, String> env = new HashMap<>();
            env.put("MAKEFLAGS", make.makeflags());
            MavenSession session = session(JobserverSettings.JOBS, "8");
            participant.decide(session, env);
            assertNull(sessionSlots.ownJobserver(), "no server of its own under make");
            assertEquals(make.auth(), sessionSlots.jobserver().get().auth());
            assertEquals(2, sessionSlots.policy().forkLimit(), "make's -j2");
            sessionSlots.stop();
        }
        JobserverSettings eight = settings("8");
        MakeFlags j4 = MakeFlags.parse(" -j4 --jobserver-auth=fifo:/tmp/GMfifo1");
        assertEquals(
                "jobserver: jobserver.jobs=8 ignored: make's jobserver sets the limit (make -j4 (fifo /tmp/GMfifo1))",
                JobserverDecision.limitNote(eight, j4));
        assertNull(JobserverDecision.limitNote(settings("4"), j4), "the same value: nothing to say");
        assertNull(JobserverDecision.limitNote(settings(null), j4));
        assertNotNull(JobserverDecision.limitNote(eight, MakeFlags.parse(" --jobserver-auth=fifo:/tmp/GMfifo1")));
    }

    @Test
    void makeWithoutAJobserverIsOutsideItsLimitButADryRunTakesNothing() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MAKEFLAGS", "k");
        participant.decide(session(JobserverSettings.JOBS, "2"), env);
        assertNotNull(sessionSlots.ownJobserver(), "make without -j: the build's own");
        sessionSlots.stop();

        Set<String> before = ourDirectories();
        env.put("MAKEFLAGS", "n");
        participant.decide(session(JobserverSettings.JOBS, "2"), env);
        assertNull(sessionSlots.ownJobserver(), "make -n");
        assertSame(SlotPolicy.NONE, sessionSlots.policy());
        assertEquals(before, ourDirectories());
    }

    private static JobserverSettings settings(String jobs) {
        Properties user = new Properties();
        if (jobs != null) {
            user.setProperty(JobserverSettings.JOBS, jobs);
        }
        return JobserverSettings.read(user, new Properties());
    }

    /** The tokens in the pool now, counted by a client of its own that gives each back. */
    private static int tokensIn(Path fifo) throws IOException {
        Jobserver reader =
                Jobserver.connect(JobserverAuth.fifo(fifo)).jobserver().get().withoutGuardian();
        List<Slot> taken = new ArrayList<>();
        try {
            reader.tryAcquireAll(taken, 1000);
            int tokens = 0;
            for (Slot slot : taken) {
                tokens += slot.isImplicit() ? 0 : 1;
            }
            return tokens;
        } finally {
            for (Slot slot : taken) {
                slot.close();
            }
            reader.close();
        }
    }

    private static Path temporaryDirectory() {
        String tmp = System.getenv("TMPDIR");
        return tmp != null && tmp.startsWith("/") ? Paths.get(tmp) : Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /** The server directories this JVM made in the temporary directory ({@code jobserver-PID.}). */
    private static Set<String> ourDirectories() throws IOException {
        String pid = Paths.get("/proc/self").toRealPath().getFileName().toString();
        Set<String> found = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(temporaryDirectory())) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith("jobserver-" + pid + ".")) {
                    found.add(entry.getFileName().toString());
                }
            }
        }
        return found;
    }
}
