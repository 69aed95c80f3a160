package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MountsTest {

    private static final List<String> MOUNTINFO = Arrays.asList(
            "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro",
            "25 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
            "31 22 0:45 / /run/jobserver rw,nosuid,nodev,relatime shared:20 master:3 - fuse.nix-jobserver"
                    + " nix-jobserver rw,user_id=0,group_id=0",
            "32 22 0:46 / /mnt/with\\040blank rw - fuse /dev/fuse rw,user_id=0",
            "33 22 0:47 / /srv rw - tmpfs tmpfs rw",
            "34 33 0:47 / /srv rw - sshfs host: rw",
            "35 22 0:48 / /odd rw -");

    @Test
    void theTypeIsFoundByDeviceNumbers() {
        assertEquals("ext4", Mounts.typeOf("8:1", MOUNTINFO));
        assertEquals("fuse.nix-jobserver", Mounts.typeOf("0:45", MOUNTINFO), "after optional fields");
        assertEquals("fuse", Mounts.typeOf("0:46", MOUNTINFO), "a mount point with an escaped blank");
        assertEquals("sshfs", Mounts.typeOf("0:47", MOUNTINFO), "the last mount of a device wins");
        assertNull(Mounts.typeOf("0:48", MOUNTINFO), "no type after the separator");
        assertNull(Mounts.typeOf("9:9", MOUNTINFO), "not mounted");
        assertNull(Mounts.typeOf("0:4", MOUNTINFO), "a prefix of 0:45 is not 0:45");
        assertNull(Mounts.typeOf("8:1", Arrays.asList("garbage", "", "1 2")), "malformed lines");
    }

    @Test
    void onlyFuseTypesAreServedFromUserSpace() {
        assertTrue(Mounts.isFuse("fuse"));
        assertTrue(Mounts.isFuse("fuse.nix-jobserver"));
        assertFalse(Mounts.isFuse("fuseblk"), "a disk's file system through FUSE (ntfs-3g): files, not a server");
        assertFalse(Mounts.isFuse("ext4"));
        assertFalse(Mounts.isFuse("fusectl"), "the FUSE control file system serves no files of a program");
        assertFalse(Mounts.isFuse(null));
    }

    @Test
    void thisMachinesRootIsReadFromProc() throws Exception {
        Path root = Paths.get("/proc/self/mountinfo");
        assumeTrue(Files.isReadable(root), "Linux only");
        Map<String, Object> attrs = Files.readAttributes(Paths.get("/proc"), "unix:dev");
        FileFacts proc = FileFacts.ofPath(0040555, (Long) attrs.get("dev"), 1, 0, 0, 0);
        assertEquals("proc", Mounts.typeOf(proc.fileSystemDevice()), "/proc's own device is a proc file system");
    }
}
