package io.github.jobserver.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.JobserverAuth;
import java.io.File;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

class ChildStyleTest {
    @Test
    void parsesMakesVersionLine() {
        assertArrayEquals(new int[] {4, 3}, ChildStyle.parseMakeVersion("GNU Make 4.3"));
        assertArrayEquals(new int[] {4, 4}, ChildStyle.parseMakeVersion("GNU Make 4.4.1"));
        assertArrayEquals(new int[] {3, 81}, ChildStyle.parseMakeVersion("GNU Make 3.81"));
        assertNull(ChildStyle.parseMakeVersion("bmake 20240711"));
        assertNull(ChildStyle.parseMakeVersion(null));
    }

    /** The real make on this machine (4.3 on the project's machine) is probed, not assumed. */
    @Test
    void probesTheRealMake() throws MojoExecutionException {
        String make = Executables.find("make", new File("."), System.getenv("PATH"));
        assertNotNull(make, "GNU make on PATH");
        int[] version = ChildStyle.makeVersion(make);
        assertNotNull(version, "make --version gives a GNU Make line");
        boolean fifo = version[0] > 4 || version[0] == 4 && version[1] >= 4;
        assertEquals(fifo ? JobserverAuth.Style.FIFO : JobserverAuth.Style.PIPE, ChildStyle.choose("auto", make));
    }

    @Test
    void autoGivesFifoOnlyToClientsThatReadIt() throws MojoExecutionException {
        assertEquals(JobserverAuth.Style.FIFO, ChildStyle.choose("auto", "/usr/bin/ninja"));
        assertEquals(JobserverAuth.Style.PIPE, ChildStyle.choose("auto", "cargo"));
        assertEquals(JobserverAuth.Style.PIPE, ChildStyle.choose("auto", "./configure"));
        assertEquals(JobserverAuth.Style.PIPE, ChildStyle.choose("fds", "ninja"));
        assertEquals(JobserverAuth.Style.FIFO, ChildStyle.choose("fifo", "cargo"));
        assertThrows(MojoExecutionException.class, () -> ChildStyle.choose("semaphore", "make"));
    }

    @Test
    void warnsOfANinjaThatReadsNoJobserver() {
        assertArrayEquals(new int[] {1, 11}, ChildStyle.parseNinjaVersion("1.11.1\n"));
        assertArrayEquals(new int[] {1, 13}, ChildStyle.parseNinjaVersion("1.13.0.git"));
        assertNull(ChildStyle.parseNinjaVersion("ninja"));
        assertNull(ChildStyle.caveat("/usr/bin/make"));
        String ninja = Executables.find("ninja", new File("."), System.getenv("PATH"));
        if (ninja != null) { // the real one, probed: 1.11.1 on the project's machine
            int[] version = ChildStyle.parseNinjaVersion(ChildStyle.firstLine(ninja, "--version"));
            boolean reads = version != null && (version[0] > 1 || version[1] >= 13);
            assertEquals(reads, ChildStyle.caveat(ninja) == null, String.valueOf(ChildStyle.caveat(ninja)));
        }
        String missing = ChildStyle.caveat("/nonexistent/ninja");
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
