package io.github.jobserver.plugin;

import io.github.jobserver.JobserverAuth;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Chooses how a child is given its jobserver, by what it reads: descriptors ({@code --jobserver-auth=3,3}) or
 * {@code fifo:PATH}. What a child is given always has a path (a FIFO, make's pipe reopened through
 * {@code /proc}, or a {@link io.github.jobserver.Relay}'s FIFO: see {@link SlotSource}), so
 * {@link io.github.jobserver.ClientLauncher} can pass it either way, and the choice depends on the child alone.
 */
final class ChildStyle {
    /** The programs whose options and jobserver support this plugin knows, by the executable's name. */
    enum Program {
        /** GNU make ({@code make}, {@code gmake}). */
        MAKE,
        NINJA,
        CARGO,
        /** Anything else, a shell among them: its words are its own. */
        OTHER
    }

    private ChildStyle() {}

    /** Which program {@code executable} (a path or a bare name) is, by its name: the one place that decides. */
    static Program program(String executable) {
        String name = executable.substring(executable.lastIndexOf('/') + 1);
        switch (name) {
            case "make":
            case "gmake":
                return Program.MAKE;
            case "ninja":
                return Program.NINJA;
            case "cargo":
                return Program.CARGO;
            default:
                return Program.OTHER;
        }
    }

    static JobserverAuth.Style choose(String style, String executable) throws MojoExecutionException {
        switch (style == null ? "auto" : style) {
            case "fds":
                return JobserverAuth.Style.PIPE;
            case "fifo":
                return JobserverAuth.Style.FIFO;
            case "auto":
                return understandsFifo(executable) ? JobserverAuth.Style.FIFO : JobserverAuth.Style.PIPE;
            default:
                throw new MojoExecutionException(
                        "jobserver: jobserver.style=" + style + " is not one of auto, fifo, fds");
        }
    }

    /** GNU make 4.4 and later, and ninja (whose jobserver client reads only fifo:). */
    static boolean understandsFifo(String executable) {
        Program program = program(executable);
        if (program == Program.NINJA) {
            return true;
        }
        if (program == Program.MAKE) {
            int[] version = makeVersion(executable);
            return version != null && (version[0] > 4 || version[0] == 4 && version[1] >= 4);
        }
        return false;
    }

    /**
     * A warning for a child known not to read any jobserver, or null: ninja before 1.13 runs its own
     * {@code -j} (the number of processors plus 2) whatever it is given.
     */
    static String caveat(String executable) {
        if (program(executable) != Program.NINJA) {
            return null;
        }
        String line = firstLine(executable, "--version");
        int[] version = parseNinjaVersion(line);
        return version != null && (version[0] > 1 || version[1] >= 13)
                ? null
                : "jobserver: ninja " + (line == null ? "(version unknown)" : line.trim()) + " does not read a "
                        + "jobserver (ninja 1.13 and later do): it runs its own -j, outside the limit";
    }

    /** {major, minor} of {@code ninja --version} ("1.11.1"), or null. */
    static int[] parseNinjaVersion(String line) {
        if (line == null) {
            return null;
        }
        String[] parts = line.trim().split("[.\\s]");
        try {
            return parts.length < 2 ? null : new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {major, minor} from the first line of {@code make --version} ("GNU Make 4.3"), or null. */
    static int[] makeVersion(String executable) {
        return parseMakeVersion(firstLine(executable, "--version"));
    }

    /** The first line {@code executable option} prints, or null when it cannot run or takes over 10 s. */
    static String firstLine(String executable, String option) {
        try {
            Process p = new ProcessBuilder(executable, option)
                    .redirectErrorStream(true)
                    .start();
            String first;
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                first = in.readLine();
                while (in.readLine() != null) {
                    // drain, so the probe can exit
                }
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return first;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static int[] parseMakeVersion(String line) {
        String prefix = "GNU Make ";
        if (line == null || !line.startsWith(prefix)) {
            return null;
        }
        String[] parts = line.substring(prefix.length()).trim().split("[.\\s]");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
