package io.github.jobserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real processes (make, java) for tests and reads what they leave behind. */
final class Processes {
    static final String TOOL = "io.github.jobserver.cli.JobserverTool";

    private Processes() {}

    /** The classpath that runs the jar's command-line tool in a child JVM. */
    static String classes() {
        String classes = System.getProperty("jobserver.test.classes");
        if (classes == null) {
            throw new IllegalStateException("run through Maven: jobserver.test.classes is not set");
        }
        return classes;
    }

    static String java() {
        return java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString();
    }

    /** The command-line tool's command, as a make recipe would write it. */
    static String toolCommand(String... args) {
        return java() + backendOption() + " -cp " + classes() + " " + TOOL + " " + String.join(" ", args);
    }

    /** The command-line tool in a child JVM, started the way users start it. */
    static ProcessBuilder tool(String... args) {
        List<String> command = new ArrayList<>(Arrays.asList(java(), "-cp", classes(), TOOL));
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command);
    }

    /** Children run the back end this test JVM runs. */
    static String backendOption() {
        String backend = System.getProperty(Backends.PROPERTY);
        return backend == null ? "" : " -D" + Backends.PROPERTY + "=" + backend;
    }

    static final class Result {
        final int exit;
        final String output;
        final long millis;

        Result(int exit, String output, long millis) {
            this.exit = exit;
            this.output = output;
            this.millis = millis;
        }

        @Override
        public String toString() {
            return "exit " + exit + " after " + millis + " ms:\n" + output;
        }
    }

    static Result run(ProcessBuilder builder) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = builder.redirectErrorStream(true).start();
        p.getOutputStream().close();
        // read on a thread of its own: this one only waits (interruptibly, so a test's @Timeout ends it even
        // when a process left behind holds the output open); the output is whole once the reader ends
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(
                () -> {
                    try {
                        copy(p.getInputStream(), out);
                    } catch (IOException e) {
                        // the stream closed under us: what came is the output
                    }
                },
                "output of " + builder.command().get(0));
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + builder.command() + "\n" + text(out));
        }
        reader.join(TimeUnit.SECONDS.toMillis(120));
        if (reader.isAlive()) {
            throw new AssertionError(
                    "its output is still open 120 s after it ended: " + builder.command() + "\n" + text(out));
        }
        return new Result(p.exitValue(), text(out), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    static Result make(Path dir, String... args) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(concat("make", args)).directory(dir.toFile());
        clearMakeflags(b);
        return run(b);
    }

    static void clearMakeflags(ProcessBuilder b) {
        for (String v : MakeFlags.VARIABLES) {
            b.environment().remove(v);
        }
    }

    static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
    }

    private static String text(ByteArrayOutputStream out) {
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(in, out);
        return text(out);
    }

    /**
     * A makefile of N phony recipes that append "start X" and "end X" to {@code log} around a sleep
     * (the sleep is the work; the order of the appends in the file is the order they happened).
     */
    static Path timedRecipes(Path dir, int count, String seconds) throws IOException {
        StringBuilder targets = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            targets.append(" t").append(i);
        }
        // explicit rules: make never applies pattern rules to .PHONY targets
        StringBuilder mk = new StringBuilder(".PHONY: all").append(targets).append('\n');
        mk.append("all:").append(targets).append('\n');
        mk.append(targets.substring(1))
                .append(":\n\t@echo start $@ >> log; sleep ")
                .append(seconds)
                .append("; echo end $@ >> log\n");
        return Files.write(dir.resolve("recipes.mk"), mk.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The most recipes running at once according to the start/end log. */
    static int peak(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        int running = 0;
        int peak = 0;
        for (String line : lines) {
            running += line.startsWith("start ") ? 1 : line.startsWith("end ") ? -1 : 0;
            peak = Math.max(peak, running);
        }
        if (running != 0) {
            throw new AssertionError("unbalanced log: " + lines);
        }
        return peak;
    }

    static int count(Path log, String prefix) throws IOException {
        return (int) Files.readAllLines(log).stream()
                .filter(l -> l.startsWith(prefix))
                .count();
    }
}
