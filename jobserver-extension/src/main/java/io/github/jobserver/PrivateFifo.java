package io.github.jobserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The FIFO a {@link JobserverServer} lives in, alone in a fresh private directory (mode 0700, FIFO 0600), as
 * make 4.4 makes one. It is removed by {@link #remove()}, or when the JVM exits first (SIGTERM, Ctrl-C,
 * {@code System.exit}). Only SIGKILL leaves it: an empty FIFO (the tokens lived in the dead JVM's descriptors)
 * in its directory, named {@code jobserver-PID.NS-RANDOM} after the JVM's pid and its pid namespace. The next
 * server of the same user on Linux removes it ({@link StaleFifos}).
 */
final class PrivateFifo {
    private final Path directory;
    private final Path fifo;
    private final Thread cleanup = new Cleanup(this); // a class, not a method reference: built at a Maven start

    private PrivateFifo(Path directory, Path fifo) {
        this.directory = directory;
        this.fifo = fifo;
    }

    /** Makes the FIFO in a new directory under {@code parent}; nothing is left behind when it fails. */
    static PrivateFifo create(Path parent) throws IOException {
        // createTempDirectory makes a new, unpredictable directory with these permissions or fails:
        // it never reuses or follows something already there.
        Path directory = Files.createTempDirectory(
                parent,
                StaleFifos.prefix(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        PrivateFifo made = new PrivateFifo(directory, directory.resolve("fifo"));
        try {
            mkfifo(made.fifo);
        } catch (IOException | RuntimeException e) {
            made.delete();
            throw e;
        }
        StaleFifos.remove(parent, directory);
        return made;
    }

    private static void mkfifo(Path fifo) throws IOException {
        // Plain Java cannot make a FIFO; mkfifo(1) is POSIX and costs one short process.
        Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString())
                .redirectErrorStream(true)
                .start();
        try {
            byte[] out = readAll(p);
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo " + fifo + " failed: " + new String(out).trim());
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + fifo, e);
        }
    }

    private static byte[] readAll(Process p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[512];
        for (int n; (n = p.getInputStream().read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    Path path() {
        return fifo;
    }

    /** From now on the JVM's exit removes the FIFO and its directory if {@link #remove()} has not. */
    void removeAtExit() {
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Removes the FIFO and its directory now; the pool itself lives on in the descriptors still open. */
    void remove() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now or soon and finds the files gone
        }
    }

    /** Removes the FIFO and its directory, failing when it cannot (a server that never started). */
    void delete() throws IOException {
        Files.deleteIfExists(fifo);
        Files.deleteIfExists(directory);
    }

    /** The shutdown hook that removes the files when the JVM exits before {@link #remove()}. */
    private static final class Cleanup extends Thread {
        private final PrivateFifo files;

        Cleanup(PrivateFifo files) {
            super("jobserver-server-cleanup");
            this.files = files;
        }

        @Override
        public void run() {
            files.removeQuietly();
        }
    }

    private synchronized void removeQuietly() {
        try {
            delete();
        } catch (IOException e) {
            System.err.println("jobserver: cannot remove " + directory + ": " + e.getMessage());
        }
    }
}
