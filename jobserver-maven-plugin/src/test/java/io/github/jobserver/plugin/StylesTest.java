package io.github.jobserver.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.ClientLauncher;
import java.io.File;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

class StylesTest {
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
        assertEquals(fifo ? ClientLauncher.Style.FIFO : ClientLauncher.Style.FDS, Styles.choose("auto", make));
    }

    @Test
    void autoGivesFifoOnlyToClientsThatReadIt() throws MojoExecutionException {
        assertEquals(ClientLauncher.Style.FIFO, Styles.choose("auto", "/usr/bin/ninja"));
        assertEquals(ClientLauncher.Style.FDS, Styles.choose("auto", "cargo"));
        assertEquals(ClientLauncher.Style.FDS, Styles.choose("auto", "./configure"));
        assertEquals(ClientLauncher.Style.FDS, Styles.choose("fds", "ninja"));
        assertEquals(ClientLauncher.Style.FIFO, Styles.choose("fifo", "cargo"));
        assertThrows(MojoExecutionException.class, () -> Styles.choose("semaphore", "make"));
    }

    @Test
    void warnsOfANinjaThatReadsNoJobserver() {
        assertArrayEquals(new int[] {1, 11}, Styles.parseNinjaVersion("1.11.1\n"));
        assertArrayEquals(new int[] {1, 13}, Styles.parseNinjaVersion("1.13.0.git"));
        assertNull(Styles.parseNinjaVersion("ninja"));
        assertNull(Styles.caveat("/usr/bin/make"));
        String ninja = Executables.find("ninja", new File("."), System.getenv("PATH"));
        if (ninja != null) { // the real one, probed: 1.11.1 on the project's machine
            int[] version = Styles.parseNinjaVersion(Styles.firstLine(ninja, "--version"));
            boolean reads = version != null && (version[0] > 1 || version[1] >= 13);
            assertEquals(reads, Styles.caveat(ninja) == null, String.valueOf(Styles.caveat(ninja)));
        }
        String missing = Styles.caveat("/nonexistent/ninja");
        assertNotNull(missing);
        assertTrue(missing.contains("ninja (version unknown) does not read a jobserver"), missing);
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
