package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void thePropertyChoosesTheBackEnd() {
        String chosen = System.getProperty(Backends.PROPERTY, "auto");
        assertEquals(chosen.equals("jnr") ? "jnr" : "proc", Backends.current().name());
    }

    @Test
    void unknownChoicesAreUnsupportedNotFatal() {
        Backend b = Backends.select("bogus");
        assertEquals("unsupported", b.name());
        NoJobserverException e = assertThrows(NoJobserverException.class, () -> b.open(JobserverAuth.pipe(3, 4)));
        assertEquals(NoJobserver.Reason.UNSUPPORTED, e.absence().reason());
    }

    @Test
    void aSemaphoreIsParsedAndTheBackEndSaysItCannotUseIt() {
        Lookup lookup = Jobserver.fromEnvironment(
                java.util.Collections.singletonMap("MAKEFLAGS", " -j4 --jobserver-auth=gmake_semaphore_4312"));
        assertEquals(
                JobserverAuth.semaphore("gmake_semaphore_4312"),
                lookup.makeFlags().get().auth().get());
        assertEquals(NoJobserver.Reason.UNSUPPORTED, lookup.absence().reason());
        assertEquals(
                "semaphore gmake_semaphore_4312: a Windows semaphore jobserver, not usable on this platform",
                lookup.absence().detail());
    }
}
