package io.github.jobserver;

import java.io.IOException;
import java.nio.file.Path;

/** Makes real FIFOs with the system's mkfifo(1), for tests. */
final class Fifos {
    private Fifos() {}

    static Path make(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", "-m", "600", path.toString())
                .inheritIO()
                .start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }
}
