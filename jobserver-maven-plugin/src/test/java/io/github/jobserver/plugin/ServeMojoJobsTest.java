package io.github.jobserver.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve's own job count rule, through the mojo with the real make (4.3 on the project's machine): a dropped
 * {@code -j4} leaves make on the jobserver, a kept one takes it off ({@code -j4 forced in submake}).
 */
@Timeout(60)
class ServeMojoJobsTest {
    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    @Test
    void dropsMakesOwnCountAndSaysSo() throws Exception {
        serve(false);
        List<String> lines = log.lines();
        assertTrue(
                lines.contains("[INFO] jobserver: dropped -j4 from make's command: its jobs come from the jobserver"
                        + " (jobserver.keepJobs=true keeps it)"),
                lines.toString());
        assertTrue(log.text().contains("[INFO] jobserver: running [make, -f, jobs.mk] on "), lines.toString());
        assertTrue(lines.contains("[INFO] built"), lines.toString());
        assertFalse(log.text().contains("forced in"), "make stays on the jobserver: " + lines);
        assertFalse(log.text().contains("[WARNING]"), lines.toString());
        assertEquals("[INFO] jobserver: all 1 tokens returned", lines.get(lines.size() - 1), lines.toString());
    }

    @Test
    void keepJobsKeepsItWithAWarning() throws Exception {
        serve(true);
        List<String> lines = log.lines();
        assertTrue(
                lines.contains("[WARNING] jobserver: kept -j4 in make's command (jobserver.keepJobs): its jobs run"
                        + " outside the jobserver's limit, which is then yours to keep"),
                lines.toString());
        assertTrue(log.text().contains("[INFO] jobserver: running [make, -j4, -f, jobs.mk] on "), lines.toString());
        assertTrue(log.text().contains("-j4 forced in"), "make leaves the jobserver, as warned: " + lines);
        assertFalse(log.text().contains("jobserver: dropped"), lines.toString());
        assertEquals("[INFO] jobserver: all 1 tokens returned", lines.get(lines.size() - 1), lines.toString());
    }

    /** Runs {@code make -j4 -f jobs.mk} through serve, on a new jobserver of 2 (or the one this test runs under). */
    private void serve(boolean keepJobs) throws Exception {
        Files.write(dir.resolve("jobs.mk"), "all:\n\t@echo built\n".getBytes(StandardCharsets.US_ASCII));
        ServeMojo mojo = new ServeMojo();
        set(mojo, "command", "make -j4 -f jobs.mk");
        set(mojo, "jobs", "2");
        set(mojo, "style", "auto");
        set(mojo, "workingDirectory", dir.toFile());
        set(mojo, "keepJobs", keepJobs);
        mojo.setLog(log);
        mojo.execute();
    }

    private static void set(ServeMojo mojo, String name, Object value) throws ReflectiveOperationException {
        Field field = ServeMojo.class.getDeclaredField(name);
        field.setAccessible(true);
        field.set(mojo, value);
    }
}
