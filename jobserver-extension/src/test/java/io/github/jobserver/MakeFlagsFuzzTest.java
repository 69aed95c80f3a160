package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.StringLength;

/**
 * Property-based fuzzing of MAKEFLAGS parsing: whatever the environment holds, the parser answers with
 * a typed result (a jobserver, or one reason there is none, in one line) and never throws. Every
 * property has a fixed seed, so a run is reproducible: 180,000 inputs in all (tries below), most of them
 * make-like words mutated at random. Whatever was inherited, what a child is given names our jobserver. To explore further, change a seed; jqwik prints the seed and the
 * shrunk input of any failure.
 */
class MakeFlagsFuzzTest {

    /** Words built the way make writes MAKEFLAGS, then mutated: most inputs reach deep into the parser. */
    @Property(tries = 100_000, seed = "20261121", shrinking = ShrinkingMode.BOUNDED)
    void makeLikeValuesGiveTypedResults(@ForAll("mutatedMakeflags") String value) {
        check(MakeFlags.parse(value), value);
    }

    /** Any text at all, control characters, NULs and surrogates included. */
    @Property(tries = 40_000, seed = "4242", shrinking = ShrinkingMode.BOUNDED)
    void arbitraryTextGivesTypedResults(@ForAll @StringLength(max = 120) String value) {
        check(MakeFlags.parse(value), value);
    }

    /** The three variables together: the first present wins, whatever the others hold. */
    @Property(tries = 20_000, seed = "777", shrinking = ShrinkingMode.BOUNDED)
    void environmentsGiveTypedResults(
            @ForAll("mutatedMakeflags") String cargo,
            @ForAll("mutatedMakeflags") String make,
            @ForAll("mutatedMakeflags") String mflags,
            @ForAll("presence") int present) {
        Map<String, String> env = new HashMap<>();
        String[] values = {cargo, make, mflags};
        for (int i = 0; i < 3; i++) {
            if ((present & (1 << i)) != 0) {
                env.put(MakeFlags.VARIABLES.get(i), values[i]);
            }
        }
        MakeFlags flags = MakeFlags.fromEnvironment(env);
        if (env.isEmpty()) {
            assertEquals(NoJobserver.Reason.NONE_ADVERTISED, flags.absence().reason());
            return;
        }
        String first = MakeFlags.VARIABLES.stream()
                .filter(env::containsKey)
                .findFirst()
                .get();
        assertEquals(first, flags.variable());
        check(flags, env.get(first));
    }

    /** Whatever MAKEFLAGS was inherited, a child's names our jobserver and our -j, and is no dry run. */
    @Property(tries = 20_000, seed = "2121", shrinking = ShrinkingMode.BOUNDED)
    void childFlagsNameOurJobserver(@ForAll("mutatedMakeflags") String inherited, @ForAll("jobs") int jobs) {
        JobserverAuth ours = JobserverAuth.fifo(Paths.get("/tmp/our fifo"));
        String written = MakeFlags.forChild(inherited, ours, jobs);
        MakeFlags child = MakeFlags.parse(written);
        assertEquals(ours, child.auth().orElse(null), written);
        assertFalse(child.dryRun(), written);
        assertEquals(jobs > 0 ? OptionalInt.of(jobs) : OptionalInt.empty(), child.jobs(), written);
        assertFalse(child.unlimitedJobs(), written);
        assertEquals(MakeFlags.parse(MakeFlags.mflags(written)).auth(), child.auth(), written);
    }

    private static void check(MakeFlags flags, String value) {
        assertEquals(value, flags.value());
        boolean found = flags.auth().isPresent();
        assertTrue(found != (flags.absence() != null), "exactly one of a jobserver and a reason: " + flags);
        if (found) {
            JobserverAuth auth = flags.auth().get();
            switch (auth.style()) {
                case PIPE:
                    assertTrue(auth.readFd() >= 0 && auth.writeFd() >= 0, auth.toString());
                    break;
                case FIFO:
                    assertTrue(auth.fifoPath().isAbsolute(), auth.toString());
                    break;
                default:
                    assertTrue(MakeFlagsParser.isSemaphoreName(auth.semaphoreName()), auth.toString());
                    // parsed as make means it, and never usable here: the back end says so
                    assertEquals(
                            NoJobserver.Reason.UNSUPPORTED,
                            Jobserver.connect(auth).absence().reason(),
                            auth.toString());
            }
            // what the parser found is what the library hands on to a child (ClientLauncher's MAKEFLAGS)
            assertEquals(
                    auth,
                    MakeFlags.parse(MakeFlags.forChild(null, auth, 0)).auth().get());
        } else {
            NoJobserver why = flags.absence();
            assertNotNull(why.reason());
            assertOneLine(why.toString());
        }
        assertOneLine(flags.describe());
        flags.jobs().ifPresent(n -> assertTrue(n > 0, "jobs " + n));
        assertFalse(flags.unlimitedJobs() && flags.jobs().isPresent());
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n") || message.contains("\r"), "more than one line: " + message);
    }

    @Provide
    Arbitrary<Integer> jobs() {
        return Arbitraries.integers().between(0, 64);
    }

    @Provide
    Arbitrary<Integer> presence() {
        return Arbitraries.integers().between(0, 7);
    }

    @Provide
    Arbitrary<String> mutatedMakeflags() {
        Arbitrary<String> words = word().list()
                .ofMaxSize(8)
                .flatMap(list -> separators(list.size()).map(seps -> join(list, seps)));
        Arbitrary<String> lead = Arbitraries.of("", " ", "\t", "-", "k", "ks", "n");
        Arbitrary<String> base = Combinators.combine(lead, words).as((l, w) -> l + w);
        return base.flatMap(s -> mutations(s.length()).map(edits -> mutate(s, edits)));
    }

    /** One word of MAKEFLAGS: real options, near misses, and junk. */
    private static Arbitrary<String> word() {
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 12).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("2147483647", "2147483648", "4294967299", "99999999999", "0003", "-0", "", "+3", "3 "));
        Arbitrary<String> pathChar = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(6),
                Arbitraries.of(
                        "/", "//", "..", ".", "\\ ", "\u0000", "\n", "\u00e9", "\ud83d\ude00", "\ud800", ":", ","));
        Arbitrary<String> path = pathChar.list().ofMaxSize(6).map(parts -> String.join("", parts));
        return Arbitraries.frequencyOf(Arrays.asList(
                tuple(6, Combinators.combine(number, number).as((r, w) -> "--jobserver-auth=" + r + "," + w)),
                tuple(2, Combinators.combine(number, number).as((r, w) -> "--jobserver-fds=" + r + "," + w)),
                tuple(4, path.map(p -> "--jobserver-auth=fifo:" + p)),
                tuple(1, path.map(p -> "--jobserver-auth=fifo:/" + p)),
                tuple(
                        1,
                        Arbitraries.of(
                                "--jobserver-auth=gmake_semaphore_1",
                                "--jobserver-auth=",
                                "--jobserver-auth",
                                "--jobserver-fds",
                                "--jobserver-auth=fifo:",
                                "--jobserver-auth=fifo",
                                "--jobserver-auth=3,",
                                "--jobserver-auth=,4",
                                "--jobserver-auth=3;4",
                                "--jobserver-authx=3,4")),
                tuple(4, number.map(n -> "-j" + n)),
                tuple(
                        2,
                        Arbitraries.of(
                                "-j",
                                "--jobs",
                                "--jobs=",
                                "-n",
                                "--dry-run",
                                "--just-print",
                                "--recon",
                                "--",
                                "-l",
                                "-l2.5",
                                "-Otarget",
                                "-O",
                                "-I",
                                "-C",
                                "-f",
                                "-o",
                                "-W",
                                "-E",
                                "-kj",
                                "-nj3",
                                "-Cj4")),
                tuple(2, number.map(n -> "--jobs=" + n)),
                tuple(
                        2,
                        Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(5), path)
                                .as((k, v) -> k + "=" + v)),
                tuple(1, Arbitraries.strings().ofMaxLength(10))));
    }

    private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<String>> tuple(int weight, Arbitrary<String> a) {
        return net.jqwik.api.Tuple.of(weight, a);
    }

    private static Arbitrary<List<String>> separators(int n) {
        return Arbitraries.of(" ", " ", " ", "  ", "\t", "\n", "\\ ", "").list().ofSize(Math.max(0, n - 1));
    }

    private static String join(List<String> words, List<String> separators) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                out.append(separators.get(i - 1));
            }
            out.append(words.get(i));
        }
        return out.toString();
    }

    /** Up to three edits, each {position, kind, character}. */
    private static Arbitrary<List<int[]>> mutations(int length) {
        Arbitrary<int[]> edit = Combinators.combine(
                        Arbitraries.integers().between(0, Math.max(0, length)),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.oneOf(
                                Arbitraries.chars().all().map(c -> (int) c),
                                Arbitraries.of(
                                        (int) '\\', (int) ' ', (int) ',', (int) '-', (int) '=', 0, (int) '\n', (int)
                                                '9')))
                .as((at, kind, c) -> new int[] {at, kind, c});
        return edit.list().ofMaxSize(3);
    }

    private static String mutate(String s, List<int[]> edits) {
        StringBuilder out = new StringBuilder(s);
        for (int[] e : edits) {
            int at = Math.min(e[0], out.length());
            switch (e[1]) {
                case 0: // insert
                    out.insert(at, (char) e[2]);
                    break;
                case 1: // delete
                    if (at < out.length()) {
                        out.deleteCharAt(at);
                    }
                    break;
                case 2: // replace
                    if (at < out.length()) {
                        out.setCharAt(at, (char) e[2]);
                    }
                    break;
                default: // duplicate the tail: repeated options
                    out.append(' ').append(out.substring(at));
            }
        }
        return out.toString();
    }
}
