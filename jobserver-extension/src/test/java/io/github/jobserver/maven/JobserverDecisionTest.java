package io.github.jobserver.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.Properties;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.MavenExecutionRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cap on modules at once: what a -T means, in plain Maven and in the mvnd daemon. */
class JobserverDecisionTest {
    private static final JobserverDecision.Cap MAKE_J64 = new JobserverDecision.Cap(64, "make -j64");
    private static final ReactorWidth.Reactor WIDE = new ReactorWidth.Reactor(100, Collections.emptyMap());

    @AfterEach
    void leaveTheDaemon() {
        System.clearProperty(Mvnd.ID);
        System.clearProperty("mvnd.minThreads");
    }

    private static String cap(int threads) {
        MavenExecutionRequest request = new DefaultMavenExecutionRequest();
        request.setDegreeOfConcurrency(threads);
        JobserverSettings settings = JobserverSettings.read(new Properties(), new Properties());
        return JobserverDecision.cap(MAKE_J64, settings, request, WIDE, true).toString();
    }

    @Test
    void aUsersThreadsAreACap() {
        assertEquals("make -j64", cap(1));
        assertEquals("-T 3", cap(3));
    }

    @Test
    void mvndsOwnThreadsAreNotACapButAUsersOthersAre() {
        System.setProperty(Mvnd.ID, "test-daemon");
        System.setProperty("mvnd.minThreads", "3"); // so that mvnd's default is above 1 on any machine
        int automatic = Mvnd.automaticThreads();
        assertEquals(Math.max(Runtime.getRuntime().availableProcessors() - 1, 3), automatic);
        assertEquals("make -j64", cap(automatic), "the -T mvnd passes by itself");
        assertEquals("-T " + (automatic + 1), cap(automatic + 1), "a -T other than mvnd's default is the user's");
        System.clearProperty(Mvnd.ID);
        assertEquals("-T " + automatic, cap(automatic), "outside the daemon the same -T is a cap");
    }
}
