package io.github.jobserver;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A tracking jobserver served from user space, for the tests: {@code src/it/lib/tracking-jobserver.c}
 * (libfuse3) compiled once into {@code target/} and mounted on a fresh temporary directory. Like Gentoo's
 * steve or the nixos jobserver, its jobserver is a file on a FUSE file system, not a FIFO; it hands out one
 * token per read, knows which process holds which token, takes back a dead process's tokens and refuses a
 * write from a process that holds none. {@link #close()} always unmounts, the failing test's too.
 */
final class TrackingJobserver implements AutoCloseable {
    /** Every wait on the server (mounting, a status, its exit) ends by then. */
    static final long DEADLINE_MILLIS = TimeUnit.SECONDS.toMillis(20);

    private final Process server;
    private final Path base;
    private final Path mount;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private final Thread reader;
    private Status last;
    private String events = "";
    private boolean closed;

    private TrackingJobserver(Process server, Path base, Path mount) {
        this.server = server;
        this.base = base;
        this.mount = mount;
        this.reader = readLines(server, output);
    }

    /** True when this machine can serve one: /dev/fuse, a C compiler and libfuse3's development files. */
    static boolean available() {
        try {
            return Files.isReadable(Paths.get("/dev/fuse"))
                    && onPath("cc")
                    && Processes.run(new ProcessBuilder("pkg-config", "--exists", "fuse3")).exit == 0;
        } catch (IOException e) {
            return false; // no pkg-config
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Mounts a server of {@code tokens} tokens ('a', 'b', ... in that order) and waits until it serves. */
    static TrackingJobserver start(int tokens) throws IOException, InterruptedException {
        Path binary = binary();
        Path base = Files.createTempDirectory("tracking-jobserver").toRealPath();
        Path mount = Files.createDirectory(base.resolve("mnt"));
        Process server = new ProcessBuilder(
                        binary.toString(),
                        "--log",
                        base.resolve("events").toString(),
                        mount.toString(),
                        Integer.toString(tokens))
                .redirectError(base.resolve("stderr").toFile())
                .start();
        server.getOutputStream().close();
        TrackingJobserver js = new TrackingJobserver(server, base, mount);
        String first = js.output.poll(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        if (!"ready".equals(first)) {
            String stderr = new String(Files.readAllBytes(base.resolve("stderr")), StandardCharsets.UTF_8);
            js.close();
            throw new IOException("tracking-jobserver did not say ready (" + first + "): " + stderr);
        }
        return js;
    }

    /** The jobserver, for {@code --jobserver-auth=fifo:PATH}. */
    Path file() {
        return mount.resolve("jobserver");
    }

    /** The server's counters now. */
    Status status() throws IOException {
        return Status.parse(new String(Files.readAllBytes(mount.resolve("status")), StandardCharsets.UTF_8));
    }

    /** The status once {@code condition} holds, or the last one seen when the deadline passed. */
    Status await(Predicate<Status> condition) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        Status now = status();
        while (!condition.test(now) && System.nanoTime() < end) {
            Thread.sleep(10); // the server has no way to tell us; the deadline bounds this
            now = status();
        }
        return now;
    }

    /** The server's event log so far: one line per read, write, refuse, foreign, reclaim, interrupt, poll. */
    String events() throws IOException {
        if (closed) {
            return events;
        }
        Path log = base.resolve("events");
        return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    }

    /** Waits until the event log has {@code event}; an AssertionError after the deadline. */
    void awaitEvent(String event) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        while (!events().contains(event)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no '" + event + "' in the tracking jobserver's events:\n" + events());
            }
            Thread.sleep(10); // the log is a file: polled, with the deadline
        }
    }

    /** The status line the server printed when it stopped; null before {@link #close()}. */
    Status finalStatus() {
        return last;
    }

    /**
     * Unmounts, waits for the server to end (SIGTERM, then SIGKILL and a lazy unmount if it will not), keeps
     * its final status and removes the temporary directory. Throws when a mount is left behind.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        if (mounted() && !unmount(onPath("fusermount3") ? "fusermount3 -u" : "umount")) {
            server.destroy(); // a busy mount: the server unmounts itself lazily on SIGTERM
        }
        if (!server.waitFor(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)) {
            server.destroy();
            if (!server.waitFor(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
        if (mounted()) {
            unmount("umount -l"); // the server died without unmounting
        }
        reader.join(DEADLINE_MILLIS);
        for (String line : output) {
            if (line.startsWith("free=")) {
                last = Status.parse(line);
            }
        }
        events = events();
        closed = true;
        if (mounted()) {
            throw new IOException("tracking-jobserver left " + mount + " mounted");
        }
        for (String name : Arrays.asList("events", "stderr", "mnt")) {
            Files.deleteIfExists(base.resolve(name));
        }
        Files.deleteIfExists(base);
    }

    private boolean unmount(String command) throws IOException, InterruptedException {
        List<String> words = new ArrayList<>(Arrays.asList(command.split(" ")));
        words.add(mount.toString());
        return Processes.run(new ProcessBuilder(words)).exit == 0;
    }

    /** Whether /proc/self/mountinfo lists the mount point (its fifth field). */
    private boolean mounted() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && fields[4].equals(mount.toString())) {
                return true;
            }
        }
        return false;
    }

    /** Reads {@code process}'s output into {@code lines} on a daemon thread, until the output closes. */
    static Thread readLines(Process process, BlockingQueue<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the output closed under us: what came is all
            }
        });
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** The compiled server in this module's target/, built once from its C source (again when it changed). */
    private static synchronized Path binary() throws IOException, InterruptedException {
        Path module = Paths.get(System.getProperty("user.dir"));
        Path source = module.resolve("../src/it/lib/tracking-jobserver.c").normalize();
        Path binary = module.resolve("target/tracking-jobserver");
        if (Files.exists(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        Processes.Result flags = Processes.run(new ProcessBuilder("pkg-config", "--cflags", "--libs", "fuse3"));
        Path built = Files.createTempFile(binary.getParent(), "tracking-jobserver", ".tmp");
        List<String> cc = new ArrayList<>(
                Arrays.asList("cc", "-O2", "-Wall", "-Wextra", "-Werror", source.toString(), "-o", built.toString()));
        cc.addAll(Arrays.asList(flags.output.trim().split("\\s+")));
        Processes.Result compiled = Processes.run(new ProcessBuilder(cc));
        if (flags.exit != 0 || compiled.exit != 0) {
            Files.deleteIfExists(built);
            throw new IOException("cannot build " + source + ": " + flags + "\n" + compiled);
        }
        // another test JVM may build it at the same time: each moves a whole binary in place
        return Files.move(built, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** One status line: {@code free=F held=H peak=P reads=R writes=W refused=X foreign=Y reclaimed=C ...}. */
    static final class Status {
        final String line;
        final int free;
        final int held;
        final int peak;
        final int reads;
        final int writes;
        final int refused;
        final int foreign;
        final int reclaimed;
        final int interrupted;
        final int pending;

        private Status(String line, Map<String, Integer> fields) {
            this.line = line;
            free = field(fields, "free");
            held = field(fields, "held");
            peak = field(fields, "peak");
            reads = field(fields, "reads");
            writes = field(fields, "writes");
            refused = field(fields, "refused");
            foreign = field(fields, "foreign");
            reclaimed = field(fields, "reclaimed");
            interrupted = field(fields, "interrupted");
            pending = field(fields, "pending");
        }

        private int field(Map<String, Integer> fields, String name) {
            Integer value = fields.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no " + name + "= in the status line: " + line);
            }
            return value;
        }

        static Status parse(String text) {
            String line = text.trim();
            Map<String, Integer> fields = new HashMap<>();
            for (String field : line.split(" ")) {
                int eq = field.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("not a status line: " + line);
                }
                fields.put(field.substring(0, eq), Integer.valueOf(field.substring(eq + 1)));
            }
            return new Status(line, fields);
        }

        @Override
        public String toString() {
            return line;
        }
    }
}
