package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClientLauncherTest {

    @Test
    void fdsStyleWrapsTheCommandInTheShimAndSetsAllThreeVariables() throws Exception {
        ProcessBuilder b = new ProcessBuilder("make", "all");
        ClientLauncher.prepare(
                b, JobserverAuth.fifo(java.nio.file.Paths.get("/tmp/x/fifo")), JobserverAuth.Style.PIPE, null, 2);
        assertEquals(
                Arrays.asList(
                        "/bin/sh",
                        "-c",
                        "exec 3<>\"$1\" || exit 127; shift; exec \"$@\"",
                        "jobserver-shim",
                        "/tmp/x/fifo",
                        "make",
                        "all"),
                b.command());
        assertEquals(" -j2 --jobserver-auth=3,3", b.environment().get("MAKEFLAGS"));
        assertEquals("-j2 --jobserver-auth=3,3", b.environment().get("MFLAGS"));
        assertEquals(" -j2 --jobserver-auth=3,3", b.environment().get("CARGO_MAKEFLAGS"));
    }

    /**
     * A FIFO-only client (ninja 1.13) under make 4.3's pipe: the pipe is named as this JVM's /proc entry,
     * which a child opens like a FIFO. The child here reads the token we put in and writes it back.
     */
    @Test
    void aPipeIsGivenAsAFifoThroughProc() throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            JobserverAuth auth = JobserverAuth.pipe(pipe.readFd, pipe.writeFd);
            assertTrue(ClientLauncher.canPass(auth));
            ProcessBuilder b = new ProcessBuilder(
                    "/bin/sh",
                    "-c",
                    "p=${MAKEFLAGS##*--jobserver-auth=fifo:}; exec 4<>\"$p\" && head -c 1 <&4 > token && cat token >&4");
            ClientLauncher.prepare(b, auth, JobserverAuth.Style.FIFO, null, 2);
            String self = java.nio.file.Paths.get("/proc/self")
                    .toRealPath()
                    .getFileName()
                    .toString();
            assertEquals(
                    " -j2 --jobserver-auth=fifo:/proc/" + self + "/fd/" + pipe.readFd,
                    b.environment().get("MAKEFLAGS"));
            pipe.pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {'+'}));
            java.io.File dir =
                    java.nio.file.Files.createTempDirectory("launcher").toFile();
            assertEquals(0, b.directory(dir).inheritIO().start().waitFor());
            assertEquals(
                    "+",
                    new String(
                            java.nio.file.Files.readAllBytes(new java.io.File(dir, "token").toPath()),
                            java.nio.charset.StandardCharsets.US_ASCII),
                    "the child took the token");
            assertEquals(1, RealPipe.count(pipe.readFd), "and gave it back");
        }
    }

    @Test
    void aSemaphoreCannotBePassed() {
        assertFalse(ClientLauncher.canPass(JobserverAuth.semaphore("gmake_semaphore_1")));
    }
}
