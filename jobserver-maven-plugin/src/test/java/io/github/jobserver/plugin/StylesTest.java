package io.github.jobserver.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jobserver.ClientLauncher;
import io.github.jobserver.JobserverAuth;
import java.io.File;
import java.nio.file.Paths;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

class StylesTest {
    private static final JobserverAuth PIPE = JobserverAuth.pipe(3, 4);
    private static final JobserverAuth FIFO = JobserverAuth.fifo(Paths.get("/tmp/some/fifo"));

    @Test
    void parsesMakesVersionLine() {
        assertArrayEquals(new int[] {4, 3}, Styles.parseMakeVersion("GNU Make 4.3"));
        assertArrayEquals(new int[] {4, 4}, Styles.parseMakeVersion("GNU Make 4.4.1"));
        assertArrayEquals(new int[] {3, 81}, Styles.parseMakeVersion("GNU Make 3.81"));
        assertNull(Styles.parseMakeVersion("bmake 20240711"));
        assertNull(Styles.parseMakeVersion(null));
    }

    /** The real make on this machine (4.3 on the project's machine) is probed, not assumed. */
    @Test
    void probesTheRealMake() throws MojoExecutionException {
        String make = Executables.find("make", new File("."), System.getenv("PATH"));
        assertNotNull(make, "GNU make on PATH");
        int[] version = Styles.makeVersion(make);
        assertNotNull(version, "make --version gives a GNU Make line");
        boolean fifo = version[0] > 4 || version[0] == 4 && version[1] >= 4;
        assertEquals(fifo ? ClientLauncher.Style.FIFO : ClientLauncher.Style.FDS, Styles.choose("auto", make, FIFO));
    }

    @Test
    void autoNeverAsksAPipeForAFifo() throws MojoExecutionException {
        assertEquals(ClientLauncher.Style.FDS, Styles.choose("auto", "ninja", PIPE));
        assertEquals(ClientLauncher.Style.FIFO, Styles.choose("auto", "/usr/bin/ninja", FIFO));
        assertEquals(ClientLauncher.Style.FDS, Styles.choose("auto", "cargo", FIFO));
        assertEquals(ClientLauncher.Style.FDS, Styles.choose("fds", "ninja", FIFO));
        assertThrows(MojoExecutionException.class, () -> Styles.choose("fifo", "make", PIPE));
        assertThrows(MojoExecutionException.class, () -> Styles.choose("semaphore", "make", FIFO));
    }

    @Test
    void findsExecutablesAsExecvpDoes() {
        String path = System.getenv("PATH");
        assertNotNull(Executables.find("sh", new File("."), path));
        assertNull(Executables.find("no-such-command-4711", new File("."), path));
        assertNull(Executables.find("sh", new File("."), "/nonexistent-dir"));
        assertEquals("/bin/sh", Executables.find("/bin/sh", new File("/"), ""));
        assertNull(Executables.find("/etc/passwd", new File("/"), path), "a file that is not executable");
        assertNull(Executables.find("", new File("."), path));
    }
}
