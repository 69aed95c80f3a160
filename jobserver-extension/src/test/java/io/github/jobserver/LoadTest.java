package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load: 8 processes of 16 threads each ({@link LoadClient}) acquire, release and cancel on one jobserver
 * for 20 s (-Djobserver.load.millis), once on make's pipe and once on this library's FIFO. The pool must
 * be whole at the end, counted by the server (make's exit check, then a claim of every token; our
 * server's count), every client must end with nothing held and no thread blocked after cancel.
 * Throughput is printed (slots acquired and given back per second, all processes together).
 */
@Timeout(300)
class LoadTest {
    private static final long MILLIS = Long.getLong("jobserver.load.millis", 20_000L);
    private static final int PROCESSES = 8;
    private static final int THREADS = 16;
    /** Slots of the pool: 63 tokens for 128 threads, so they contend. */
    private static final int JOBS = 64;

    @TempDir
    Path dir;

    private static String classpath() throws Exception {
        String tests = new File(LoadClient.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .getPath();
        return tests + File.pathSeparator + Processes.classes();
    }

    private static List<String> client(int seed) throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList(Processes.java()));
        String backend = Processes.backendOption().trim();
        if (!backend.isEmpty()) {
            cmd.add(backend);
        }
        cmd.addAll(Arrays.asList(
                "-cp",
                classpath(),
                LoadClient.class.getName(),
                String.valueOf(MILLIS),
                String.valueOf(THREADS),
                String.valueOf(seed)));
        return cmd;
    }

    /** Checks each client's line and prints the sum; returns the lines. */
    private static List<String> checkClients(String output, String where) {
        List<String> lines = Arrays.stream(output.split("\n"))
                .filter(l -> l.startsWith("load: ops"))
                .collect(Collectors.toList());
        assertEquals(PROCESSES, lines.size(), output);
        long acquired = 0;
        long ops = 0;
        long cancelled = 0;
        double seconds = 0;
        for (String line : lines) {
            assertTrue(line.contains(" errors 0 blocked 0 held 0 implicitFree true "), line);
            String[] w = line.split(" ");
            ops += Long.parseLong(w[2]);
            acquired += Long.parseLong(w[4]);
            cancelled += Long.parseLong(w[6]) + Long.parseLong(w[8]);
            seconds = Math.max(seconds, Double.parseDouble(w[w.length - 1]));
            assertTrue(
                    Long.parseLong(w[4]) > 0 && Long.parseLong(w[6]) > 0,
                    "every client acquired and was cancelled: " + line);
        }
        System.out.printf(
                "load on %s: %d processes x %d threads, %.1f s: %d operations, %d slots acquired and given back"
                        + " (%.0f/s), %d waits cancelled or interrupted%n",
                where, PROCESSES, THREADS, seconds, ops, acquired, acquired / seconds, cancelled);
        return lines;
    }

    @Test
    void makesPipe() throws Exception {
        StringBuilder mk = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int i = 1; i <= PROCESSES; i++) {
            names.append(" c").append(i);
            // a log each: make does not keep the output of parallel recipes apart
            mk.append("c")
                    .append(i)
                    .append(":\n\t+@")
                    .append(String.join(" ", client(i)))
                    .append(" > c")
                    .append(i)
                    .append(".log 2>&1\n");
        }
        // the last recipe runs alone on make's own slot: it must find every token back in the pipe
        String header = ".PHONY: all" + names + "\nall:" + names + "\n\t+@" + Processes.toolCommand("claim") + "\n";
        Files.write(dir.resolve("load.mk"), (header + mk).getBytes(StandardCharsets.UTF_8));
        Processes.Result r = Processes.make(dir, "-j" + JOBS, "-f", "load.mk");
        assertEquals(0, r.exit, r.toString());
        assertFalse(r.output.contains("INTERNAL"), r.output);
        StringBuilder logs = new StringBuilder();
        for (int i = 1; i <= PROCESSES; i++) {
            logs.append(new String(Files.readAllBytes(dir.resolve("c" + i + ".log")), StandardCharsets.UTF_8));
        }
        checkClients(logs.toString(), "make -j" + JOBS + "'s pipe");
        assertTrue(r.output.contains("claimed " + (JOBS - 1) + " tokens"), r.output);
    }

    @Test
    void ourFifo() throws Exception {
        try (JobserverServer server = JobserverServer.create(JOBS, dir)) {
            List<Process> clients = new ArrayList<>();
            for (int i = 1; i <= PROCESSES; i++) {
                ProcessBuilder b = new ProcessBuilder(client(100 + i))
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("client" + i + ".log").toFile());
                Processes.clearMakeflags(b);
                ClientLauncher.prepare(b, server.auth(), JobserverAuth.Style.FIFO, null, JOBS);
                clients.add(b.start());
            }
            StringBuilder output = new StringBuilder();
            for (int i = 0; i < PROCESSES; i++) {
                int exit = clients.get(i).waitFor();
                String log = new String(
                        Files.readAllBytes(dir.resolve("client" + (i + 1) + ".log")), StandardCharsets.UTF_8);
                assertEquals(0, exit, log);
                output.append(log);
            }
            checkClients(output.toString(), "our FIFO of " + JOBS + " slots");
            assertEquals(JOBS - 1, server.available());
            JobserverServer.Report report = server.closeAndCount();
            assertTrue(report.whole(), report.toString());
        }
    }
}
