package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pipe and FIFO rules, written once for every POSIX back end, over facts as a back end gathers them.
 * Real descriptors and paths run through the same rules in BadInputTest and SecurityTest on both back ends.
 */
class PosixBackendTest {
    private static final int FIFO = 0010644;
    private static final int FILE = 0100644;
    private static final int ME = 1000;

    /** A back end whose descriptors and paths are the facts put in it. */
    private static class Facts extends PosixBackend {
        final Map<Integer, FileFacts> fds = new HashMap<>();
        final Map<Path, FileFacts> paths = new HashMap<>();
        FileFacts opened;

        @Override
        public String name() {
            return "facts";
        }

        @Override
        protected FileFacts describe(int fd) {
            return fds.get(fd);
        }

        @Override
        protected FileFacts describe(Path path) {
            return paths.get(path);
        }

        @Override
        protected int effectiveUid() {
            return ME;
        }

        @Override
        protected Endpoint openPipe(int readFd, int writeFd, FileFacts pipe) {
            opened = pipe;
            return null;
        }

        @Override
        protected Endpoint openFifo(Path path, FileFacts fifo) {
            opened = fifo;
            return null;
        }
    }

    private static FileFacts fd(int mode, long ino, int access, String target) {
        return FileFacts.ofDescriptor(mode, 12, ino, ME, access, target);
    }

    private static NoJobserver refused(Facts backend, JobserverAuth auth) {
        return assertThrows(NoJobserverException.class, () -> backend.open(auth))
                .why();
    }

    @Test
    void aPipeIsOpenedWhenBothEndsAreOnePipeReadableAndWritable() throws Exception {
        Facts b = new Facts();
        b.fds.put(3, fd(FIFO, 7, 0, "pipe:[7]"));
        b.fds.put(4, fd(FIFO, 7, 1, "pipe:[7]"));
        b.open(JobserverAuth.pipe(3, 4));
        assertSame(b.fds.get(3), b.opened);
    }

    @Test
    void eachPipeRuleHasItsReasonAndMessage() {
        Facts b = new Facts();
        b.fds.put(3, fd(FIFO, 7, 2, "pipe:[7]"));
        assertEquals(
                "CLOSED_FD: fd 4 is not open",
                refused(b, JobserverAuth.pipe(3, 4)).toString());
        assertEquals(
                "CLOSED_FD: fd 5 is not open",
                refused(b, JobserverAuth.pipe(5, 3)).toString());
        b.fds.put(4, fd(FILE, 9, 0, "/jdk/lib/modules"));
        assertEquals(
                "NOT_A_PIPE: fd 4 is a regular file (/jdk/lib/modules), not a pipe",
                refused(b, JobserverAuth.pipe(3, 4)).toString());
        b.fds.put(4, fd(FIFO, 8, 1, "pipe:[8]"));
        assertEquals(
                "DIFFERENT_PIPES: fds 3 and 4 are different pipes (pipe:[7], pipe:[8])",
                refused(b, JobserverAuth.pipe(3, 4)).toString());
        b.fds.put(4, fd(FIFO, 7, 0, "pipe:[7]"));
        assertEquals(
                "WRONG_ACCESS_MODE: fd 4 is not open for writing",
                refused(b, JobserverAuth.pipe(3, 4)).toString());
        b.fds.put(3, fd(FIFO, 7, 1, "pipe:[7]"));
        b.fds.put(4, fd(FIFO, 7, 1, "pipe:[7]"));
        assertEquals(
                "WRONG_ACCESS_MODE: fd 3 is not open for reading",
                refused(b, JobserverAuth.pipe(3, 4)).toString());
    }

    @Test
    void anEndWhoseAccessModeIsUnknownIsRefused() {
        Facts b = new Facts();
        b.fds.put(3, fd(FIFO, 7, FileFacts.UNKNOWN, null));
        b.fds.put(4, fd(FIFO, 7, 1, null));
        assertEquals(
                "WRONG_ACCESS_MODE: fd 3 is not open for reading",
                refused(b, JobserverAuth.pipe(3, 4)).toString());
        b.fds.put(3, fd(FIFO, 7, 1, null));
        assertEquals(
                "WRONG_ACCESS_MODE: fd 3 is not open for reading",
                refused(b, JobserverAuth.pipe(3, 4)).toString());
    }

    @Test
    void eachFifoRuleHasItsReasonAndMessage() throws Exception {
        Facts b = new Facts();
        Path p = Paths.get("/tmp/GMfifo1");
        JobserverAuth auth = JobserverAuth.fifo(p);
        assertEquals(
                "MISSING_FIFO: FIFO /tmp/GMfifo1 does not exist",
                refused(b, auth).toString());
        b.paths.put(p, FileFacts.ofPath(0120777, 1, 2, ME));
        assertEquals(
                "NOT_A_FIFO: /tmp/GMfifo1 is a symbolic link, not a FIFO",
                refused(b, auth).toString());
        b.paths.put(p, FileFacts.ofPath(FIFO, 1, 2, 0));
        assertEquals(
                "NOT_OWNER: FIFO /tmp/GMfifo1 belongs to uid 0, not to this user (uid 1000)",
                refused(b, auth).toString());
        b.paths.put(p, FileFacts.ofPath(FIFO, 1, 2, ME));
        b.open(auth);
        assertSame(b.paths.get(p), b.opened);
    }

    @Test
    void gatheringThatFailsIsCannotOpen() {
        PosixBackend failing = new Facts() {
            @Override
            protected FileFacts describe(int fd) {
                throw new IllegalStateException("no fstat");
            }
        };
        NoJobserver why = assertThrows(NoJobserverException.class, () -> failing.open(JobserverAuth.pipe(3, 4)))
                .why();
        assertEquals(NoJobserver.Reason.CANNOT_OPEN, why.reason());
    }

    @Test
    void aSemaphoreIsUnsupported() {
        assertEquals(
                NoJobserver.Reason.UNSUPPORTED,
                refused(new Facts(), JobserverAuth.semaphore("gmake_semaphore_1"))
                        .reason());
    }

    @Test
    void requireSameAcceptsOnlyTheSameFile() throws IOException {
        FileFacts accepted = fd(FIFO, 7, 0, null);
        PosixBackend.requireSame(accepted, fd(FIFO, 7, 1, null), "unused");
        assertEquals(
                "replaced",
                assertThrows(
                                IOException.class,
                                () -> PosixBackend.requireSame(accepted, fd(FIFO, 8, 0, null), "replaced"))
                        .getMessage());
        assertEquals(
                "gone",
                assertThrows(IOException.class, () -> PosixBackend.requireSame(accepted, null, "gone"))
                        .getMessage());
    }
}
