package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class JobserverServerTest {

    @TempDir
    Path tmp;

    @Test
    void fifoIsPrivateAndHoldsJMinusOneTokens() throws Exception {
        try (JobserverServer server = JobserverServer.create(5, tmp)) {
            Path dir = server.fifo().getParent();
            assertEquals(tmp, dir.getParent());
            assertEquals(
                    "rwx------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)));
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(server.fifo(), LinkOption.NOFOLLOW_LINKS)));
            assertTrue(FileKind.isFifo(
                    (Integer) Files.getAttribute(server.fifo(), "unix:mode", LinkOption.NOFOLLOW_LINKS)));
            assertEquals(4, server.available());
            assertEquals(" -j5 --jobserver-auth=fifo:" + server.fifo(), server.makeflags());
        }
    }

    @Test
    void closeRemovesTheFifoAndItsDirectory() throws Exception {
        JobserverServer server = JobserverServer.create(2, tmp);
        Path fifo = server.fifo();
        JobserverServer.Report report = server.closeAndCount();
        assertTrue(report.whole());
        assertEquals("jobserver: all 1 tokens returned", report.toString());
        assertFalse(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(fifo.getParent(), LinkOption.NOFOLLOW_LINKS));
        server.close(); // a second close is harmless
        assertThrows(IllegalStateException.class, server::closeAndCount);
    }

    @Test
    void aTokenKeptByAClientIsReportedAsMakeDoes() throws Exception {
        try (JobserverServer server = JobserverServer.create(4, tmp)) {
            Jobserver client = Jobserver.connect(server.auth()).jobserver().get();
            Slot implicit = client.acquire();
            Slot kept = client.acquire();
            // the client still holds the FIFO open: the count waits for it (a bound, here 200 ms), then reports
            JobserverServer.Report report = server.closeAndCount(200);
            assertFalse(report.whole());
            assertEquals(2, report.available());
            assertEquals("jobserver: exiting with 2 jobserver tokens available; should be 3!", report.toString());
            implicit.close();
            // the server's FIFO is gone; the client writes through the descriptor it holds, once
            kept.close();
            assertTrue(kept.isGivenBack(), "never written twice");
            client.close();
        }
    }

    @Test
    void anInventedTokenIsReportedToo() throws Exception {
        try (JobserverServer server = JobserverServer.create(2, tmp)) {
            try (FileChannel rogue = FileChannel.open(server.fifo(), StandardOpenOption.WRITE)) {
                rogue.write(ByteBuffer.wrap(new byte[] {'+'}));
            }
            JobserverServer.Report report = server.closeAndCount();
            assertEquals(2, report.available());
            assertFalse(report.whole());
        }
    }

    @Test
    void ourClientAndServerShareTheSlotsExactly() throws Exception {
        try (JobserverServer server = JobserverServer.create(3, tmp);
                Jobserver client = Jobserver.connect(server.auth()).jobserver().get()) {
            Slot a = client.acquire();
            Slot b = client.acquire();
            Slot c = client.acquire();
            assertFalse(client.tryAcquire().isPresent(), "J=3: implicit + 2 tokens");
            assertEquals(0, server.available());
            c.close();
            b.close();
            a.close();
            assertEquals(2, server.available());
        }
    }

    @Test
    void slotsMustBeAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> JobserverServer.create(0, tmp));
    }

    @Test
    void tmpdirIsHonouredWhenAbsolute() {
        assertEquals(
                Paths.get("/var/tmp"),
                JobserverServer.temporaryDirectory(Collections.singletonMap("TMPDIR", "/var/tmp")));
        assertEquals(
                Paths.get(System.getProperty("java.io.tmpdir")),
                JobserverServer.temporaryDirectory(Collections.singletonMap("TMPDIR", "relative")));
    }
}
