package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MakeFlagsTest {

    /** MAKEFLAGS value, then what it means: [dry] (style value | REASON) [jN | j-unlimited]. */
    static Stream<Arguments> table() {
        return Stream.of(
                // as written by real makes (the first four seen from make 4.3 on this machine)
                row(" -j4 --jobserver-auth=3,4", "pipe 3,4 j4"),
                row("ks -j4 --jobserver-auth=3,4 -- FOO=x\\ y", "pipe 3,4 j4"),
                row("n -j4 --jobserver-auth=3,4", "dry pipe 3,4 j4"),
                row(" -j4 -l3 -Otarget --jobserver-auth=3,4", "pipe 3,4 j4"),
                row(" -j", "NONE_ADVERTISED j-unlimited"),
                row(" -j1", "NONE_ADVERTISED j1"),
                row("", "NONE_ADVERTISED"),
                row(" --jobserver-fds=3,4 -j", "pipe 3,4 j-unlimited"),
                row("-j8 --jobserver-auth=fifo:/tmp/GMfifo1234", "fifo /tmp/GMfifo1234 j8"),
                row(" -j4 --jobserver-auth=-2,-2", "DISABLED j4"),
                row(" -j4 --jobserver-auth=3,-1", "DISABLED j4"),
                row(" -j4 --jobserver-fds=-1,-1", "DISABLED j4"),
                // the last --jobserver-auth wins; --jobserver-fds is only a fallback
                row(" --jobserver-auth=3,4 --jobserver-auth=5,6", "pipe 5,6"),
                row(" --jobserver-fds=7,8 --jobserver-auth=3,4", "pipe 3,4"),
                row(" --jobserver-auth=3,4 --jobserver-fds=7,8", "pipe 3,4"),
                row(" --jobserver-auth=fifo:/a --jobserver-auth=3,4", "pipe 3,4"),
                row(" --jobserver-auth=3,4 --jobserver-auth=fifo:/run/x", "fifo /run/x"),
                // words after "--" are variable assignments, even when they look like flags
                row(" -j2 -- --jobserver-auth=3,4", "NONE_ADVERTISED j2"),
                row(" -j2 --jobserver-auth=5,6 -- X=--jobserver-auth=3,4", "pipe 5,6 j2"),
                row(" -- n", "NONE_ADVERTISED"),
                // the first word is single-letter flags only when it does not start with '-'
                row("kn --jobserver-auth=3,4", "dry pipe 3,4"),
                row("-kn --jobserver-auth=3,4", "dry pipe 3,4"),
                // make skips white space before the first word (NEXT_TOKEN, C isspace): still the cluster
                // (was "pipe 3,4", not a dry run; make 4.3 here runs " n" as a dry run)
                row(" kn --jobserver-auth=3,4", "dry pipe 3,4"),
                row("\u000b\f\r\nkn --jobserver-auth=3,4", "dry pipe 3,4"),
                // a first word with '=' is a variable assignment, not flags (was "dry pipe 3,4")
                row("n=1 --jobserver-auth=3,4", "pipe 3,4"),
                row("ks -j3 --jobserver-auth=3,4", "pipe 3,4 j3"),
                row("kOnone --jobserver-auth=3,4", "pipe 3,4"), // the n is -O's argument
                row("-Cnode --jobserver-auth=3,4", "pipe 3,4"), // the n belongs to -C's argument
                row("-C n --jobserver-auth=3,4", "pipe 3,4"), // -C takes the next word
                row("-C -n --jobserver-auth=3,4", "pipe 3,4"), // whatever it is
                row(" -C -- --jobserver-auth=3,4", "pipe 3,4"), // even a "--"
                row("--dry-run --jobserver-auth=3,4", "dry pipe 3,4"),
                row(" --just-print -j2 --jobserver-auth=3,4", "dry pipe 3,4 j2"),
                row(" --jobs=6 --jobserver-auth=3,4", "pipe 3,4 j6"),
                row(" -j 5 --jobserver-auth=3,4", "pipe 3,4 j5"),
                row(" -kj7 --jobserver-auth=3,4", "pipe 3,4 j7"),
                // MFLAGS-style input and extra blanks
                row("-j4   --jobserver-auth=3,4\t", "pipe 3,4 j4"),
                // only a space or a tab separates words (ISBLANK); make 4.3 here reads " -k\vn" as a dry run and
                // rejects the -j of " -j4\n--jobserver-auth=3,4" (was "pipe 3,4 j4": a newline split words)
                row(" -k\u000bn --jobserver-auth=3,4", "dry pipe 3,4"),
                row(" -j4\n--jobserver-auth=3,4", "NONE_ADVERTISED"),
                row(" -j4 --jobserver-auth=3,4\n-n", "UNPARSEABLE j4"),
                // unparseable, unsupported
                row(" --jobserver-auth=", "UNPARSEABLE"),
                row(" --jobserver-auth", "UNPARSEABLE"),
                row(" --jobserver-auth=3", "UNPARSEABLE"),
                row(" --jobserver-auth=3,4,5", "UNPARSEABLE"),
                row(" --jobserver-auth=a,b", "UNPARSEABLE"),
                row(" --jobserver-auth=3,", "UNPARSEABLE"),
                row(" --jobserver-auth=fifo:", "UNPARSEABLE"),
                row(" --jobserver-auth=fifo:relative/path", "UNPARSEABLE"),
                // found by MakeFlagsFuzzTest: a NUL made Paths.get throw; a line break made a two-line WARN
                row(" --jobserver-auth=fifo:/tmp/a\u0000b", "UNPARSEABLE"),
                row(" --jobserver-auth=fifo:/tmp/a\\\nb", "UNPARSEABLE"),
                row(" --jobserver-auth=99999999999,4", "UNPARSEABLE"),
                row(" --jobserver-fds=fifo:/tmp/x", "UNPARSEABLE"),
                row(" --jobserver-fds=gmake_semaphore_1", "UNPARSEABLE"),
                row(" -j4 --jobserver-auth=gmake_semaphore_4312", "semaphore gmake_semaphore_4312 j4"),
                row(" --jobserver-auth=fifo:/tmp/with\\ space", "fifo /tmp/with space"),
                row(" --jobserver-auth=2147483647,2147483647", "pipe 2147483647,2147483647"),
                row(" -jx --jobserver-auth=3,4", "pipe 3,4"),
                row("\u00e9\\ --jobserver-auth=3,4", "NONE_ADVERTISED"));
    }

    private static Arguments row(String makeflags, String expected) {
        return Arguments.of(makeflags, expected);
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @MethodSource("table")
    void parsesAsMakeDoes(String makeflags, String expected) {
        assertEquals(expected, summary(MakeFlags.parse(makeflags)));
    }

    @Test
    void tableHasAtLeastThirtyRows() {
        assertTrue(table().count() >= 30);
    }

    static String summary(MakeFlags flags) {
        StringBuilder s = new StringBuilder();
        if (flags.dryRun()) {
            s.append("dry ");
        }
        s.append(flags.auth()
                .map(JobserverAuth::toString)
                .orElseGet(() -> flags.absence().reason().name()));
        if (flags.jobs().isPresent()) {
            s.append(" j").append(flags.jobs().getAsInt());
        } else if (flags.unlimitedJobs()) {
            s.append(" j-unlimited");
        }
        return s.toString();
    }

    @Test
    void controlCharactersAreEscapedInTheOneLineReason() {
        NoJobserver why =
                MakeFlags.parse(" --jobserver-auth=fifo:/tmp/a\\\nb\u0000").absence();
        assertEquals("--jobserver-auth=fifo:/tmp/a\\nb\\u0000: the FIFO path holds control characters", why.detail());
        assertEquals(
                "cannot parse --jobserver-auth=3\\n4",
                MakeFlags.parse(" --jobserver-auth=3\\\n4").absence().detail());
    }

    @Test
    void environmentOrderIsCargoMakeflagsThenMakeflagsThenMflags() {
        Map<String, String> env = new HashMap<>();
        env.put("MFLAGS", "-j2 --jobserver-auth=7,8");
        assertEquals("MFLAGS", MakeFlags.fromEnvironment(env).variable());
        env.put("MAKEFLAGS", " -j2 --jobserver-auth=5,6");
        assertEquals("pipe 5,6 j2", summary(MakeFlags.fromEnvironment(env)));
        env.put("CARGO_MAKEFLAGS", "-j2 --jobserver-auth=3,4");
        MakeFlags flags = MakeFlags.fromEnvironment(env);
        assertEquals("CARGO_MAKEFLAGS", flags.variable());
        assertEquals("pipe 3,4 j2", summary(flags));
    }

    @Test
    void firstPresentVariableWinsEvenWithoutJobserver() {
        Map<String, String> env = new HashMap<>();
        env.put("MAKEFLAGS", "");
        env.put("MFLAGS", "-j2 --jobserver-auth=7,8");
        assertEquals(
                NoJobserver.Reason.NONE_ADVERTISED,
                MakeFlags.fromEnvironment(env).absence().reason());
    }

    @Test
    void noVariableMeansNoneAdvertised() {
        MakeFlags flags = MakeFlags.fromEnvironment(new HashMap<>());
        assertFalse(flags.auth().isPresent());
        assertEquals(NoJobserver.Category.ABSENT, flags.absence().category());
        assertEquals("no MAKEFLAGS in the environment", flags.absence().detail());
    }

    @Test
    void reasonsAreOneLineAndNameTheOption() {
        for (String bad : Arrays.asList(" --jobserver-auth=a,b", " --jobserver-auth=-2,-2", " --jobserver-fds=x")) {
            String line = MakeFlags.parse(bad).absence().toString();
            assertFalse(line.contains("\n"), line);
            assertTrue(line.contains("--jobserver-"), line);
        }
    }

    @Test
    void describeNamesMakeAndJobserver() {
        assertEquals(
                "make -j8 (pipe 3,4)",
                MakeFlags.parse(" -j8 --jobserver-auth=3,4").describe());
        assertEquals(
                "make (fifo /tmp/f)",
                MakeFlags.parse(" --jobserver-auth=fifo:/tmp/f").describe());
    }
}
