package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a child is given ({@link MakeFlags#forChild}, through {@link ClientLauncher#prepare} as {@code serve}
 * calls it) reads back, with {@link MakeFlags#parse}, to the same jobserver, in every style, whatever
 * MAKEFLAGS this process inherited; the inherited flags and variables survive as written.
 */
class MakeFlagsRoundTripTest {

    private static final JobserverAuth PIPE_3_3 = JobserverAuth.pipe(3, 3);

    @Test
    void freshJobserverGetsOnlyJobsAndAuth() {
        assertEquals(" -j4 --jobserver-auth=3,3", MakeFlags.forChild(null, PIPE_3_3, 4));
        assertEquals(" --jobserver-auth=fifo:/t/f", MakeFlags.forChild(null, fifo("/t/f"), 0));
    }

    @Test
    void inheritedFlagsAndVariablesAreKeptAndTheJobserverReplaced() {
        assertEquals(
                "k -j8 --jobserver-auth=3,3 -- FOO=x\\ y",
                MakeFlags.forChild("ks -j8 --jobserver-auth=5,6 -- FOO=x\\ y".replace("ks", "k"), PIPE_3_3, 8));
        assertEquals(
                " -l2 -j8 --jobserver-auth=3,3",
                MakeFlags.forChild(" -j8 -l2 --jobserver-fds=5,6 --jobserver-auth=5,6", PIPE_3_3, 8));
    }

    @Test
    void aChildIsNeverADryRun() {
        String flags = MakeFlags.forChild("kn -j2 --jobserver-auth=5,6", PIPE_3_3, 2);
        assertFalse(MakeFlags.parse(flags).dryRun(), flags);
        assertEquals("k -j2 --jobserver-auth=3,3", flags);
    }

    @Test
    void whatWeWriteParsesBackToWhatWeMeant() {
        String flags = MakeFlags.forChild(" -j3 -- X=--jobserver-auth=9,9", fifo("/tmp/a b"), 3);
        assertEquals("fifo /tmp/a b j3", MakeFlagsTest.summary(MakeFlags.parse(flags)));
    }

    @Test
    void mflagsHasADashAndNoVariables() {
        assertEquals("-k -j2 --jobserver-auth=3,3", MakeFlags.mflags("k -j2 --jobserver-auth=3,3 -- A=1"));
        assertEquals("-j2 --jobserver-auth=3,3", MakeFlags.mflags(" -j2 --jobserver-auth=3,3"));
        assertEquals("-j2 -C -- --jobserver-auth=3,3", MakeFlags.mflags(" -j2 -C -- --jobserver-auth=3,3 -- A=1"));
    }

    /**
     * MAKEFLAGS this process inherited, then the child's MAKEFLAGS for {@code -j4} with {@code @} where the
     * jobserver's value goes. The rows marked "was" mend a bug of the writer's old tokenizer and cluster rule.
     */
    static Stream<Arguments> inherited() {
        return Stream.of(
                row(null, " -j4 --jobserver-auth=@"),
                row("", " -j4 --jobserver-auth=@"),
                // as real makes write it
                row(" -j8 --jobserver-auth=fifo:/tmp/GMfifo9", " -j4 --jobserver-auth=@"),
                row("rsk -j8 --jobserver-auth=5,6", "rsk -j4 --jobserver-auth=@"),
                row("ks -j8 --jobserver-auth=5,6 -- FOO=x\\ y B=\\\\", "ks -j4 --jobserver-auth=@ -- FOO=x\\ y B=\\\\"),
                row("kn -j8 --jobserver-auth=5,6", "k -j4 --jobserver-auth=@"),
                row("n -j8 --jobserver-auth=5,6", " -j4 --jobserver-auth=@"),
                row(
                        " -j8 -Otarget -l2.5 -I/inc\\ dir --jobserver-auth=5,6",
                        " -Otarget -l2.5 -I/inc\\ dir -j4 --jobserver-auth=@"),
                row(" -j8 --jobserver-fds=5,6 --jobserver-auth=5,6", " -j4 --jobserver-auth=@"), // make 4.2
                row(" -j8 --jobserver-fds=5,6", " -j4 --jobserver-auth=@"), // make 4.1
                row(" -j8 --jobserver-auth=5,6 --jobserver-auth=-2,-2", " -j4 --jobserver-auth=@"),
                row(
                        " -j8 --jobserver-auth=5,6 -- X=--jobserver-auth=9,9 Y=-n",
                        " -j4 --jobserver-auth=@ -- X=--jobserver-auth=9,9 Y=-n"),
                // hand-written forms
                row(
                        " -k -j 8 -l 2 -C dir --jobs=3 --jobs 7 -j --jobserver-auth=5,6",
                        " -k -l 2 -C dir -j4 --jobserver-auth=@"),
                row("-kj8 -Cjx", " -k -Cjx -j4 --jobserver-auth=@"),
                row(
                        " --dry-run --just-print --recon -j2 --no-print-directory",
                        " --no-print-directory -j4 --jobserver-auth=@"),
                row("FOO=1 -k -j2", " FOO=1 -k -j4 --jobserver-auth=@"),
                row(" -k -- ", " -k -j4 --jobserver-auth=@"),
                // was "-kn -j4 ...": MFLAGS spells the cluster with a dash, and its n made the child a dry run
                row("-kn -j2 --jobserver-auth=5,6", " -k -j4 --jobserver-auth=@"),
                row(" -n -k", " -k -j4 --jobserver-auth=@"),
                // was " kn -j4 ...": make skips blanks before the first word, which is then the cluster
                row(" kn -j2 --jobserver-auth=5,6", "k -j4 --jobserver-auth=@"),
                // was "kOoe ...": the n of -O's argument was taken for the dry run
                row("kOnone -j2", "kOnone -j4 --jobserver-auth=@"),
                row("nkOnone", "kOnone -j4 --jobserver-auth=@"),
                // was " 5 -j4 ...": -j's count in the next word was kept, and read first as a cluster
                row(" -j 5 --jobserver-auth=5,6", " -j4 --jobserver-auth=@"),
                // was " n -j4 ...": a word make ignores became the first one, a dry-run cluster
                row(" -j2 n --jobserver-auth=5,6", " -j4 --jobserver-auth=@"),
                row("n n X=1 -k", " X=1 -k -j4 --jobserver-auth=@"),
                // was "... FOO=a b": the writer split words on any white space, make only on a space or a tab
                row(" -j2 -- FOO=a\nb X=a\u000bb\fc\rd", " -j4 --jobserver-auth=@ -- FOO=a\nb X=a\u000bb\fc\rd"),
                // was "-Cdir\ -j4 ...": a lone backslash at the end now escapes nothing of ours
                row(" -Cdir\\", " -Cdir\\\\ -j4 --jobserver-auth=@"),
                // found by MakeFlagsFuzzTest: a word make ignores, put first, would lose its line break to the
                // skip before the first word and read as --jobs=1
                row(" -j2 \n--jobs=1 --jobserver-auth=5,6", " \\\n--jobs=1 -j4 --jobserver-auth=@"),
                // was " -C -j4 ...": -C took our -j4 as its directory
                row(" -k -C", " -k -j4 --jobserver-auth=@"));
    }

    private static Arguments row(String inherited, String child) {
        return Arguments.of(inherited, child);
    }

    /** Every style {@code serve} hands a child, from every kind of jobserver it holds. */
    static Stream<Arguments> roundTrips() throws Exception {
        String proc = "/proc/" + ProcessHandleCompat.requirePid() + "/fd/5";
        Object[][] cases = {
            // held jobserver, style given, what the child must read
            {fifo("/tmp/GMfifo1"), JobserverAuth.Style.FIFO, fifo("/tmp/GMfifo1")},
            {fifo("/tmp/with space\\and\tslash"), JobserverAuth.Style.FIFO, fifo("/tmp/with space\\and\tslash")},
            {JobserverAuth.pipe(5, 6), JobserverAuth.Style.FIFO, fifo(proc)},
            {fifo("/tmp/GMfifo1"), JobserverAuth.Style.PIPE, PIPE_3_3},
            {JobserverAuth.pipe(5, 6), JobserverAuth.Style.PIPE, PIPE_3_3}
        };
        List<Arguments> out = new ArrayList<>();
        for (Object[] c : cases) {
            inherited().forEach(row -> {
                Object[] r = row.get();
                out.add(Arguments.of(c[0], c[1], c[2], r[0], r[1]));
            });
        }
        return out.stream();
    }

    @ParameterizedTest(name = "[{index}] {1} from {0}, inherited ''{3}''")
    @MethodSource("roundTrips")
    void theChildReadsTheSameJobserverAndTheOtherWords(
            JobserverAuth held, JobserverAuth.Style style, JobserverAuth given, String inherited, String child)
            throws Exception {
        ProcessBuilder b = ClientLauncher.prepare(new ProcessBuilder("true"), held, style, inherited, 4);
        String expected = child.replace("@", MakeFlagsWords.escape(given.toAuthValue()));
        assertEquals(expected, b.environment().get("MAKEFLAGS"));
        assertEquals(expected, b.environment().get("CARGO_MAKEFLAGS"));
        for (String variable : Arrays.asList("MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS")) {
            MakeFlags read = MakeFlags.parse(variable, b.environment().get(variable));
            boolean usable = !MakeFlagsParser.hasControl(given.toAuthValue());
            // a control character in a FIFO path is refused on reading; make would take it as written
            assertEquals(usable ? given + " j4" : "UNPARSEABLE j4", MakeFlagsTest.summary(read), variable);
        }
    }

    @Test
    void aSemaphoreIsNoStyleAChildIsGiven() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ClientLauncher.prepare(
                        new ProcessBuilder("true"), fifo("/tmp/f"), JobserverAuth.Style.SEMAPHORE, null, 4));
    }

    private static JobserverAuth fifo(String path) {
        return JobserverAuth.fifo(Paths.get(path));
    }
}
