package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every unsafe or broken jobserver gives its typed reason, and nothing behind it is read or written. */
@Timeout(30)
class BadInputTest {

    @TempDir
    Path dir;

    private static NoJobserver refused(JobserverAuth auth) {
        Lookup lookup = Jobserver.connect(auth);
        assertFalse(lookup.jobserver().isPresent(), "must refuse " + auth);
        assertFalse(lookup.absence().toString().contains("\n"));
        return lookup.absence();
    }

    @Test
    void closedFds() throws Exception {
        NoJobserver why = refused(JobserverAuth.pipe(4000, 4001));
        assertEquals(NoJobserver.Reason.CLOSED_FD, why.reason());
        assertEquals("fd 4000 is not open", why.detail());
        assertEquals(NoJobserver.Category.BROKEN, why.category());
    }

    @Test
    void hugeFdNumbers() {
        assertEquals(
                NoJobserver.Reason.CLOSED_FD,
                refused(JobserverAuth.pipe(Integer.MAX_VALUE, 2)).reason());
    }

    @Test
    void regularFilesAreNeverReadOrWritten() throws Exception {
        // The trap of docs/FACTS.md, "Inherited descriptors": fds 3/4 of a JVM are its own jars when make closed the
        // jobserver's.
        Path file = Files.write(dir.resolve("plexus-classworlds.jar"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            int fd = RealPipe.newFd(() -> new FileInputStream(file.toFile()), file.toString());
            int rw = RealPipe.newFd(
                    () -> FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE), file.toString());
            NoJobserver why = refused(JobserverAuth.pipe(fd, rw));
            assertEquals(NoJobserver.Reason.NOT_A_PIPE, why.reason());
            assertTrue(why.detail().contains("a regular file") && why.detail().contains(file.toString()), why.detail());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(file).toMillis());
    }

    @Test
    void devNull() throws Exception {
        int fd = RealPipe.newFd(
                () -> FileChannel.open(
                        java.nio.file.Paths.get("/dev/null"), StandardOpenOption.READ, StandardOpenOption.WRITE),
                "/dev/null");
        NoJobserver why = refused(JobserverAuth.pipe(fd, fd));
        assertEquals(NoJobserver.Reason.NOT_A_PIPE, why.reason());
        assertTrue(why.detail().contains("character device"), why.detail());
    }

    @Test
    void socket() throws Exception {
        ServerSocketChannel[] server = new ServerSocketChannel[1];
        int fd = RealPipe.newFd(() -> server[0] = ServerSocketChannel.open(), "socket:");
        try (ServerSocketChannel s = server[0].bind(new InetSocketAddress("127.0.0.1", 0))) {
            NoJobserver why = refused(JobserverAuth.pipe(fd, fd));
            assertEquals(NoJobserver.Reason.NOT_A_PIPE, why.reason());
            assertTrue(why.detail().contains("socket"), why.detail());
        }
    }

    @Test
    void twoDifferentPipes() throws Exception {
        try (RealPipe a = RealPipe.open();
                RealPipe b = RealPipe.open()) {
            a.put("+");
            b.put("+");
            NoJobserver why = refused(JobserverAuth.pipe(a.readFd, b.writeFd));
            assertEquals(NoJobserver.Reason.DIFFERENT_PIPES, why.reason());
            assertEquals(1, a.count());
            assertEquals(1, b.count());
        }
    }

    @Test
    void swappedDescriptorsHaveTheWrongAccessMode() throws Exception {
        try (RealPipe pipe = RealPipe.open()) {
            pipe.put("+");
            NoJobserver why = refused(JobserverAuth.pipe(pipe.writeFd, pipe.readFd));
            assertEquals(NoJobserver.Reason.WRONG_ACCESS_MODE, why.reason());
            assertEquals("fd " + pipe.writeFd + " is not open for reading", why.detail());
            assertEquals(1, pipe.count());
        }
    }

    @Test
    void missingFifo() {
        NoJobserver why = refused(JobserverAuth.fifo(dir.resolve("GMfifo1")));
        assertEquals(NoJobserver.Reason.MISSING_FIFO, why.reason());
        assertFalse(Files.exists(dir.resolve("GMfifo1")), "nothing is created at a missing path");
    }

    @Test
    void regularFileAsFifo() throws Exception {
        Path file = Files.write(dir.resolve("notafifo"), new byte[] {7});
        assertEquals(
                NoJobserver.Reason.NOT_A_FIFO, refused(JobserverAuth.fifo(file)).reason());
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(file));
    }

    @Test
    void directoryAsFifo() throws Exception {
        NoJobserver why = refused(JobserverAuth.fifo(Files.createDirectory(dir.resolve("d"))));
        assertEquals(NoJobserver.Reason.NOT_A_FIFO, why.reason());
        assertTrue(why.detail().contains("directory"), why.detail());
    }

    @Test
    void symlinkToAFifoIsRefused() throws Exception {
        Path fifo = Fifos.make(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);
        NoJobserver why = refused(JobserverAuth.fifo(link));
        assertEquals(NoJobserver.Reason.NOT_A_FIFO, why.reason());
        assertTrue(why.detail().contains("symbolic link"), why.detail());
    }

    @Test
    void garbageMakeflagsConnectNothing() {
        for (String flags : new String[] {
            " --jobserver-auth=x,y",
            " --jobserver-auth=-2,-2",
            " --jobserver-auth=sem_1",
            " -j",
            " -j1",
            "--jobserver-auth=fifo:"
        }) {
            Lookup lookup = Jobserver.fromEnvironment(Collections.singletonMap("MAKEFLAGS", flags));
            assertFalse(lookup.jobserver().isPresent(), flags);
            assertTrue(lookup.makeFlags().isPresent());
        }
    }
}
