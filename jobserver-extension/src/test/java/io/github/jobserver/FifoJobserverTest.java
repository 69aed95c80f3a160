package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        try (FileChannel server = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Jobserver js =
                        Jobserver.connect(JobserverAuth.fifo(fifo)).jobserver().get()) {
            Slot implicit = js.acquire();
            java.nio.file.Files.delete(fifo);
            Fifos.make(fifo); // same path, another FIFO
            try (FileChannel other = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                other.write(ByteBuffer.wrap(new byte[] {'+'}));
                // the client reads the FIFO it accepted, through its own descriptor, not the one at the path
                assertFalse(js.acquire(200, TimeUnit.MILLISECONDS).isPresent(), "the original pool is empty");
                assertEquals(1, countAvailable(fifo), "the impostor's token was not taken");
                server.write(ByteBuffer.wrap(new byte[] {'t'}));
                Slot token = js.acquire(10, TimeUnit.SECONDS).get();
                assertEquals('t', ((Token) token).value(), "the token of the FIFO it accepted");
                token.close();
                assertEquals(1, countAvailable(fifo), "given back to the FIFO it came from, not the impostor");
            }
            implicit.close();
        }
    }

    static int countAvailable(Path fifo) throws Exception {
        try (FileChannel keep = FileChannel.open(
                        fifo, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                FileInputStream in = new FileInputStream(fifo.toFile())) {
            return in.available();
        }
    }
}
