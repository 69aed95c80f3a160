package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClientLauncherTest {

    @Test
    void freshJobserverGetsOnlyJobsAndAuth() {
        assertEquals(" -j4 --jobserver-auth=3,3", ClientLauncher.childMakeflags(null, "3,3", 4));
        assertEquals(" --jobserver-auth=fifo:/t/f", ClientLauncher.childMakeflags(null, "fifo:/t/f", 0));
    }

    @Test
    void inheritedFlagsAndVariablesAreKeptAndTheJobserverReplaced() {
        assertEquals("k -j8 --jobserver-auth=3,3 -- FOO=x\\ y",
                ClientLauncher.childMakeflags("ks -j8 --jobserver-auth=5,6 -- FOO=x\\ y".replace("ks", "k"), "3,3", 8));
        assertEquals(" -l2 -j8 --jobserver-auth=3,3",
                ClientLauncher.childMakeflags(" -j8 -l2 --jobserver-fds=5,6 --jobserver-auth=5,6", "3,3", 8));
    }

    @Test
    void aChildIsNeverADryRun() {
        String flags = ClientLauncher.childMakeflags("kn -j2 --jobserver-auth=5,6", "3,3", 2);
        assertFalse(MakeFlags.parse(flags).dryRun(), flags);
        assertEquals("k -j2 --jobserver-auth=3,3", flags);
    }

    @Test
    void whatWeWriteParsesBackToWhatWeMeant() {
        String flags = ClientLauncher.childMakeflags(" -j3 -- X=--jobserver-auth=9,9", "fifo:/tmp/a b", 3);
        assertEquals("fifo /tmp/a b j3", MakeFlagsTest.summary(MakeFlags.parse(flags)));
    }

    @Test
    void mflagsHasADashAndNoVariables() {
        assertEquals("-k -j2 --jobserver-auth=3,3", ClientLauncher.mflags("k -j2 --jobserver-auth=3,3 -- A=1"));
        assertEquals("-j2 --jobserver-auth=3,3", ClientLauncher.mflags(" -j2 --jobserver-auth=3,3"));
    }

    @Test
    void fdsStyleWrapsTheCommandInTheShimAndSetsAllThreeVariables() throws Exception {
        ProcessBuilder b = new ProcessBuilder("make", "all");
        ClientLauncher.prepare(b, JobserverAuth.fifo(java.nio.file.Paths.get("/tmp/x/fifo")), ClientLauncher.Style.FDS, null, 2);
        assertEquals(Arrays.asList("/bin/sh", "-c", "exec 3<>\"$1\" || exit 127; shift; exec \"$@\"", "jobserver-shim",
                "/tmp/x/fifo", "make", "all"), b.command());
        assertEquals(" -j2 --jobserver-auth=3,3", b.environment().get("MAKEFLAGS"));
        assertEquals("-j2 --jobserver-auth=3,3", b.environment().get("MFLAGS"));
        assertEquals(" -j2 --jobserver-auth=3,3", b.environment().get("CARGO_MAKEFLAGS"));
    }

    @Test
    void aPipeCannotBeGivenAsAFifo() {
        assertThrows(IllegalArgumentException.class, () -> ClientLauncher.prepare(new ProcessBuilder("ninja"),
                JobserverAuth.pipe(3, 4), ClientLauncher.Style.FIFO, null, 2));
    }
}
