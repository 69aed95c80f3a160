package io.github.jobserver.backend.jnr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobserver.RealPipe;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guardian's launcher for a pipe no path reaches: the child gets the pipe as descriptor 3 and the ledger
 * as standard input, holds no copy of the ledger's write end (so closing it ends the child), and is reaped.
 */
@Timeout(60)
class SpawnTest {

    @TempDir
    Path dir;

    @Test
    void theChildWritesThroughDescriptor3AndEndsWhenTheLedgerIsClosed() throws Exception {
        Path pidFile = dir.resolve("pid");
        try (RealPipe pipe = RealPipe.open()) {
            Spawn spawn = new Spawn(POSIXFactory.getNativePOSIX(), pipe.writeFd());
            // the child: its pid to a file, one byte through descriptor 3, then the ledger read to its end
            OutputStream ledger =
                    spawn.launch(Arrays.asList("/bin/sh", "-c", "echo $$ > '" + pidFile + "'; printf + >&3; exec cat"));
            until(() -> count(pipe) == 1, "the byte through descriptor 3");
            String pid = new String(Files.readAllBytes(pidFile), StandardCharsets.US_ASCII).trim();
            Path proc = Paths.get("/proc", pid);
            try {
                ledger.write("a line it reads\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(Files.exists(proc), "the child runs while the ledger is open");
                ledger.close();
                // ended (no other holder of the ledger's write end) and reaped: a zombie keeps its /proc entry
                until(() -> !Files.exists(proc), "process " + pid + " ended and reaped");
                assertEquals(1, count(pipe), "nothing more written");
            } finally {
                if (Files.exists(proc)) { // failed: a child left running would hold this JVM's streams open
                    new ProcessBuilder("kill", "-KILL", pid).inheritIO().start().waitFor();
                }
            }
        }
    }

    private static int count(RealPipe pipe) {
        try {
            return pipe.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Until {@code condition} holds, failing after 30 s. */
    private static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never: " + what);
            Thread.yield();
        }
    }
}
