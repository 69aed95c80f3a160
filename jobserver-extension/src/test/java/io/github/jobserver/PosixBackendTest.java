package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pipe and FIFO rules, written once for every POSIX back end, over facts as a back end gathers them.
 * Real descriptors and paths run through the same rules in BadInputTest and SecurityTest on both back ends.
 */
class PosixBackendTest {
    private static final int FIFO = 0010644;
    private static final int FILE = 0100644;
    private static final int ME = 1000;
    private static final int STEVE_GROUP = 250;
    private static final int FIFO_TYPE = 0010000;
    private static final int CHAR = 0020000;
    private static final int SOCKET = 0140000;
    private static final int BLOCK = 0060000;

    /** A back end whose descriptors and paths are the facts put in it. */
    private static class Facts extends PosixBackend {
        final Map<Integer, FileFacts> fds = new HashMap<>();
        final Map<Path, FileFacts> paths = new HashMap<>();
        /** The type of each file system by its device numbers, as /proc/self/mountinfo would say. */
        final Map<String, String> fileSystems = new HashMap<>();

        FileFacts opened;

        @Override
        protected String fileSystemType(FileFacts facts) {
            return fileSystems.get(facts.fileSystemDevice());
        }

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
        protected Set<Integer> groups() {
            return new HashSet<>(Arrays.asList(ME, STEVE_GROUP));
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
                .absence();
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
        b.paths.put(p, FileFacts.ofPath(0120777, 1, 2, ME, ME, 0));
        assertEquals(
                "NOT_A_FIFO: /tmp/GMfifo1 is a symbolic link, not a FIFO",
                refused(b, auth).toString());
        b.paths.put(p, FileFacts.ofPath(FIFO, 1, 2, 0, 0, 0));
        assertEquals(
                "NOT_OWNER: FIFO /tmp/GMfifo1 belongs to uid 0 and is not open for reading and writing to this user (uid 1000, mode 644)",
                refused(b, auth).toString());
        b.paths.put(p, FileFacts.ofPath(FIFO, 1, 2, ME, ME, 0));
        b.open(auth);
        assertSame(b.paths.get(p), b.opened);
    }

    /** A device node's st_rdev as Linux encodes major and minor (new_encode_dev). */
    private static long rdev(int major, int minor) {
        return (minor & 0xff) | ((long) major << 8) | ((long) (minor & ~0xff) << 12);
    }

    private static String named(Facts b, String path, int mode, int uid, int gid, long rdev) {
        Path p = Paths.get(path);
        b.paths.put(p, FileFacts.ofPath(mode, 5, 6, uid, gid, rdev));
        try {
            b.open(JobserverAuth.fifo(p));
            return "opened";
        } catch (NoJobserverException e) {
            return e.absence().toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSystemJobserverIsACharacterDeviceOrFifoOpenToThisUser() {
        Facts b = new Facts();
        // steve: /dev/steve, root's, crw-rw---- root:portage (a CUSE device: major from the dynamic range)
        assertEquals("opened", named(b, "/dev/steve", CHAR | 0660, 0, STEVE_GROUP, rdev(234, 0)));
        assertEquals("opened", named(b, "/dev/steve", CHAR | 0666, 0, 0, rdev(234, 0)));
        assertEquals(
                "NOT_OWNER: device /dev/steve belongs to uid 0 and is not open for reading and writing to this user"
                        + " (uid 1000, mode 660)",
                named(b, "/dev/steve", CHAR | 0660, 0, 0, rdev(234, 0)));
        assertEquals("opened", named(b, "/run/jobserver/fifo", FIFO_TYPE | 0660, 0, STEVE_GROUP, 0));
        assertEquals("opened", named(b, "/run/jobserver/fifo", FIFO_TYPE | 0666, 0, 0, 0));
        assertEquals(
                "NOT_OWNER: FIFO /run/jobserver/fifo belongs to uid 0 and is not open for reading and writing to this"
                        + " user (uid 1000, mode 664)",
                named(b, "/run/jobserver/fifo", FIFO_TYPE | 0664, 0, 0, 0));
        assertEquals(
                "NOT_OWNER: FIFO /run/jobserver/fifo belongs to uid 0 and is not open for reading and writing to this"
                        + " user (uid 1000, mode 640)",
                named(b, "/run/jobserver/fifo", FIFO_TYPE | 0640, 0, STEVE_GROUP, 0),
                "group read alone is not enough");
        assertEquals("opened", named(b, "/tmp/mine", FIFO_TYPE | 0600, ME, ME, 0), "this user's, whatever its bits");
    }

    @Test
    void aFileThatAProgramServesThroughFuseIsAJobserverThatTracksItsClients() {
        Facts b = new Facts();
        b.fileSystems.put("0:5", "fuse.nix-jobserver"); // named() puts its files on device 5
        assertEquals("opened", named(b, "/run/jobserver/tokens", 0100666, 0, 0, 0));
        assertTrue(PosixBackend.tracksClients(b.opened), "its server sees who reads");
        b.fileSystems.put("0:5", "fuse");
        assertEquals("opened", named(b, "/mnt/js/jobserver", 0100600, ME, ME, 0));
        assertEquals(
                "NOT_OWNER: file /mnt/js/jobserver belongs to uid 0 and is not open for reading and writing to this"
                        + " user (uid 1000, mode 600)",
                named(b, "/mnt/js/jobserver", 0100600, 0, 0, 0));
        b.fileSystems.put("0:5", "ext4");
        assertEquals(
                "NOT_A_FIFO: /tmp/f is a regular file on ext4, not a FIFO nor a FUSE jobserver",
                named(b, "/tmp/f", FILE, ME, ME, 0));
        b.fileSystems.put("0:5", "fuseblk");
        assertEquals(
                "NOT_A_FIFO: /mnt/ntfs/f is a regular file on fuseblk, not a FIFO nor a FUSE jobserver",
                named(b, "/mnt/ntfs/f", FILE, ME, ME, 0));
        assertEquals("opened", named(b, "/dev/steve", CHAR | 0666, 0, 0, rdev(234, 0)));
        assertTrue(PosixBackend.tracksClients(b.opened), "a character device: its server sees who reads");
        assertEquals("opened", named(b, "/tmp/mine", FIFO_TYPE | 0600, ME, ME, 0));
        assertFalse(PosixBackend.tracksClients(b.opened), "a FIFO is a kernel buffer");
    }

    @Test
    void whatCanNeverBeAJobserverIsRefusedWithItsReason() {
        Facts b = new Facts();
        assertEquals(
                "NOT_A_FIFO: /dev/null is a character device of the kernel's memory driver (1,3), not a jobserver:"
                        + " it never waits (EOF at once, or endless bytes)",
                named(b, "/dev/null", CHAR | 0666, 0, 0, rdev(1, 3)));
        assertEquals(
                "NOT_A_FIFO: /dev/zero is a character device of the kernel's memory driver (1,5), not a jobserver:"
                        + " it never waits (EOF at once, or endless bytes)",
                named(b, "/dev/zero", CHAR | 0666, 0, 0, rdev(1, 5)));
        assertEquals(
                "NOT_A_FIFO: /tmp/zero-elsewhere is a character device of the kernel's memory driver (1,5), not a"
                        + " jobserver: it never waits (EOF at once, or endless bytes)",
                named(b, "/tmp/zero-elsewhere", CHAR | 0666, 0, 0, rdev(1, 5)),
                "a node of /dev/zero's numbers under another name");
        assertEquals(
                "NOT_A_FIFO: /dev/tty is a terminal (a character device 5,0), not a jobserver",
                named(b, "/dev/tty", CHAR | 0666, 0, 0, rdev(5, 0)));
        assertEquals(
                "NOT_A_FIFO: /dev/pts/3 is a terminal (a character device 136,3), not a jobserver",
                named(b, "/dev/pts/3", CHAR | 0620, ME, 5, rdev(136, 3)));
        assertEquals(
                "NOT_A_FIFO: /dev/ttyS0 is a terminal (a character device 4,64), not a jobserver",
                named(b, "/dev/ttyS0", CHAR | 0660, 0, STEVE_GROUP, rdev(4, 64)));
        assertEquals("NOT_A_FIFO: /tmp/f is a regular file, not a FIFO", named(b, "/tmp/f", FILE, ME, ME, 0));
        assertEquals("NOT_A_FIFO: /tmp/d is a directory, not a FIFO", named(b, "/tmp/d", 0040755, ME, ME, 0));
        assertEquals("NOT_A_FIFO: /tmp/s is a socket, not a FIFO", named(b, "/tmp/s", SOCKET | 0666, ME, ME, 0));
        assertEquals(
                "NOT_A_FIFO: /dev/sda is a block device, not a FIFO",
                named(b, "/dev/sda", BLOCK | 0660, 0, STEVE_GROUP, rdev(8, 0)));
        assertEquals(
                "NOT_A_FIFO: /dev/steve-link is a symbolic link, not a FIFO",
                named(b, "/dev/steve-link", 0120777, 0, 0, 0));
    }

    @Test
    void majorAndMinorAreReadAsLinuxEncodesThem() {
        FileFacts f = FileFacts.ofPath(CHAR, 0, 0, 0, 0, rdev(259, 300));
        assertEquals(259, f.major());
        assertEquals(300, f.minor());
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
                .absence();
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
