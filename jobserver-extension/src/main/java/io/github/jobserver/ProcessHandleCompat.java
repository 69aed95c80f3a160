package io.github.jobserver;

import java.io.IOException;
import java.nio.file.Paths;

/** This process's pid on Java 8 without loading JMX: /proc/self resolves to /proc/PID on Linux. */
final class ProcessHandleCompat {
    private ProcessHandleCompat() {}

    /** This process's pid, or "?" where /proc cannot say (for messages). */
    static String pid() {
        try {
            return requirePid();
        } catch (IOException e) {
            return "?";
        }
    }

    /** This process's pid; fails where /proc cannot say. */
    static String requirePid() throws IOException {
        return Paths.get("/proc/self").toRealPath().getFileName().toString();
    }
}
