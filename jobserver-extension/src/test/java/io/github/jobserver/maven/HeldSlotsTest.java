package io.github.jobserver.maven;

import static io.github.jobserver.maven.Waits.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.Slot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy's slots by key: each taken out once, and none stored after the stop refused them. */
class HeldSlotsTest {
    @TempDir
    Path dir;

    @Test
    void aKeysSlotsAreTakenOutOnce() throws Exception {
        try (JobserverServer server = JobserverServer.create(3, dir);
                Jobserver js = connect(server)) {
            Slot implicit = js.acquire();
            Slot token = js.acquire();
            HeldSlots held = new HeldSlots();
            assertTrue(held.add("m", implicit));
            assertTrue(held.addAll("m", Arrays.asList(token)));
            assertSame(implicit, held.get("m"), "the first slot stored is the key's slot");
            assertEquals(Arrays.asList(implicit, token), held.remove("m"));
            assertTrue(held.remove("m").isEmpty(), "taken out once");
            assertNull(held.get("m"));
            token.close();
            implicit.close();
        }
    }

    @Test
    void afterTheStopRefusedThemNothingIsStored() throws Exception {
        try (JobserverServer server = JobserverServer.create(3, dir);
                Jobserver js = connect(server)) {
            Slot implicit = js.acquire(); // out of the way: the next two are tokens
            Slot kept = js.acquire();
            Slot late = js.acquire();
            HeldSlots held = new HeldSlots();
            held.add("m", kept);
            List<Slot> toGiveBack = new ArrayList<>();
            assertNull(held.refuse(toGiveBack), "no thread reads for it");
            assertEquals(Arrays.asList(kept), toGiveBack, "what was held goes to the stop");
            assertFalse(held.add("n", late), "refused: the caller gives it back itself");
            assertNull(held.get("n"));
            assertTrue(held.remove("m").isEmpty(), "the stop took it: its holder does not give it back twice");
            kept.close();
            late.close();
            implicit.close();
            assertEquals(2, server.available());
        }
    }
}
