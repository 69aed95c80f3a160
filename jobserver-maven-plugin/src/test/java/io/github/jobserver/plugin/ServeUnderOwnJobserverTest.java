package io.github.jobserver.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.Slot;
import io.github.jobserver.session.SessionJobserver;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve under the build's own jobserver ({@code -Djobserver.jobs=N} outside make): its child joins that
 * jobserver, seen through {@link SessionJobserver#environment} as a child of make -jN would, so the child and
 * the modules share one limit. The extension's session is stood in for by the seam itself, over a real server.
 */
@Timeout(60)
class ServeUnderOwnJobserverTest {
    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    /** The extension's session with the build as its own jobserver: what SessionSlots announces. */
    private static final class OwnSession extends SessionJobserver {
        private final Jobserver client;

        OwnSession(JobserverServer server, Jobserver client) {
            this.client = client;
            announce(server.auth().toString(), server.makeflags());
        }

        void end() {
            withdraw();
        }

        @Override
        public Optional<Jobserver> jobserver() {
            return Optional.of(client);
        }

        @Override
        public Optional<Slot> slotOf(String moduleKey) {
            return Optional.empty();
        }
    }

    @AfterEach
    void clear() {
        System.clearProperty(SessionJobserver.RUNNING_PROPERTY);
        System.clearProperty(SessionJobserver.OWN_MAKEFLAGS_PROPERTY);
    }

    @Test
    void theChildJoinsTheBuildsOwnJobserver() throws Exception {
        try (JobserverServer server = JobserverServer.create(3, dir)) {
            Jobserver client =
                    Jobserver.connect(server.auth()).jobserver().get().withoutGuardian();
            OwnSession session = new OwnSession(server, client);
            try {
                String makeflags = serve();
                assertTrue(makeflags.startsWith("-j3 --jobserver-auth="), makeflags);
                assertTrue(
                        log.text().contains("on Maven's jobserver (" + server.auth() + "), on the slot of this Maven"),
                        log.text());
                assertEquals(2, server.available(), "the child's slot was the module's: no token taken");
            } finally {
                session.end();
                client.close();
            }
            JobserverServer.Report report = server.closeAndCount();
            assertTrue(report.whole(), report.toString());
        }
    }

    @Test
    void fromAnotherRealmTheChildTakesATokenAndNothingHoldsThePoolOpen() throws Exception {
        try (JobserverServer server = JobserverServer.create(3, dir)) {
            // what the extension sets when plugins cannot see its classes (-Dmaven.ext.class.path)
            System.setProperty(SessionJobserver.RUNNING_PROPERTY, server.auth().toString());
            System.setProperty(SessionJobserver.OWN_MAKEFLAGS_PROPERTY, server.makeflags());
            String makeflags = serve();
            assertTrue(makeflags.startsWith("-j3 --jobserver-auth="), makeflags);
            assertTrue(log.text().contains("on Maven's jobserver (" + server.auth() + ")"), log.text());
            long start = System.nanoTime();
            JobserverServer.Report report = server.closeAndCount();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(report.whole(), report.toString());
            assertTrue(millis < 2_000, "the count waited " + millis + " ms: a connection was left open");
        }
        assertFalse(log.text().contains("[ERROR]"), log.text());
    }

    /** Runs a child that writes the MAKEFLAGS it was given; returns them. */
    private String serve() throws Exception {
        Path out = dir.resolve("makeflags");
        ServeMojo mojo = new ServeMojo();
        set(mojo, "command", "sh -c 'printf %s \"$MAKEFLAGS\" > " + out + "'");
        set(mojo, "jobs", "7"); // serve's own server's size: not used, the child joins the build's
        set(mojo, "style", "auto");
        set(mojo, "workingDirectory", dir.toFile());
        mojo.setLog(log);
        mojo.execute();
        return new String(Files.readAllBytes(out), StandardCharsets.UTF_8).trim();
    }

    private static void set(ServeMojo mojo, String name, Object value) throws ReflectiveOperationException {
        Field field = ServeMojo.class.getDeclaredField(name);
        field.setAccessible(true);
        field.set(mojo, value);
    }
}
