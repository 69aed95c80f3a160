package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FifoJobserverTest {

    @TempDir
    Path dir;

    @Test
    void fifoFromMakeflagsGivesAndTakesTokens() throws Exception {
        Path fifo = Fifos.make(dir.resolve("GMfifo42"));
        // the "server": holds the FIFO open read-write, like make 4.4 does
        try (FileChannel server = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            server.write(ByteBuffer.wrap("++".getBytes("US-ASCII")));
            Lookup lookup = Jobserver.fromEnvironment(
                    Collections.singletonMap("MAKEFLAGS", " -j3 --jobserver-auth=fifo:" + fifo));
            try (Jobserver js = lookup.jobserver().get()) {
                Slot implicit = js.acquire();
                Slot a = js.acquire();
                Slot b = js.acquire();
                assertFalse(js.acquire(100, TimeUnit.MILLISECONDS).isPresent(), "only two tokens exist");
                a.close();
                b.close();
                implicit.close();
            }
            assertEquals(2, countAvailable(fifo));
        }
    }

    @Test
    void connectingToAFifoNobodyHoldsDoesNotBlock() throws Exception {
        // A stale FIFO (its make was killed): a plain O_RDONLY or O_WRONLY open would block forever.
        Path fifo = Fifos.make(dir.resolve("stale"));
        try (Jobserver js =
                Jobserver.connect(JobserverAuth.fifo(fifo)).jobserver().get()) {
            Slot implicit = js.acquire();
            assertFalse(js.tryAcquire().isPresent());
            assertFalse(js.acquire(50, TimeUnit.MILLISECONDS).isPresent());
            implicit.close();
        }
    }

    @Test
    void aReplacedFifoIsNotUsed() throws Exception {
        Path fifo = Fifos.make(dir.resolve("f"));
        try (Jobserver js =
                Jobserver.connect(JobserverAuth.fifo(fifo)).jobserver().get()) {
            Slot implicit = js.acquire();
            java.nio.file.Files.delete(fifo);
            Fifos.make(fifo); // same path, another FIFO
            try (FileChannel other = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                other.write(ByteBuffer.wrap(new byte[] {'+'}));
                assertThrowsIo(() -> js.acquire(1, TimeUnit.SECONDS));
                assertEquals(1, countAvailable(fifo), "the impostor's token was not taken");
            }
            implicit.close();
        }
    }

    private static void assertThrowsIo(org.junit.jupiter.api.function.Executable e) {
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, e)
                .getMessage()
                .contains("replaced"));
    }

    static int countAvailable(Path fifo) throws Exception {
        try (FileChannel keep = FileChannel.open(
                        fifo, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                FileInputStream in = new FileInputStream(fifo.toFile())) {
            return in.available();
        }
    }
}
