package io.github.jobserver;

import java.io.IOException;
import java.nio.file.Paths;

/** This process's pid on Java 8 without loading JMX: /proc/self resolves to /proc/PID on Linux. */
final class ProcessHandleCompat {
    private ProcessHandleCompat() {
    }

    static String pid() {
        try {
            return Paths.get("/proc/self").toRealPath().getFileName().toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
