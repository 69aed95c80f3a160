package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void thePropertyChoosesTheBackEnd() {
        String chosen = System.getProperty(Backend.PROPERTY, "auto");
        assertEquals(chosen.equals("jnr") ? "jnr" : "proc", Backend.current().name());
    }

    @Test
    void unknownChoicesAreUnsupportedNotFatal() {
        Backend b = Backend.select("bogus");
        assertEquals("unsupported", b.name());
        assertEquals(NoJobserver.Reason.UNSUPPORTED, b.checkPipe(3, 4).reason());
    }
}
