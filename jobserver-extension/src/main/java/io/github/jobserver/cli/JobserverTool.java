package io.github.jobserver.cli;

import io.github.jobserver.ClientLauncher;
import io.github.jobserver.Jobserver;
import io.github.jobserver.JobserverAuth;
import io.github.jobserver.JobserverServer;
import io.github.jobserver.Lookup;
import io.github.jobserver.MakeFlags;
import io.github.jobserver.NoJobserver;
import io.github.jobserver.Slot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jar's command-line tool, {@code java -jar jobserver-extension.jar COMMAND} (its {@code Main-Class}):
 * <ul>
 *   <li>{@code probe}: say which jobserver this process was given, or why there is none.</li>
 *   <li>{@code claim [--log FILE] [MILLIS]}: as the Linux kernel's jobserver-exec does, take every token free
 *       right now, report {@code claimed N tokens}, hold them for MILLIS, give them all back.</li>
 *   <li>{@code serve [--fifo] J COMMAND...}: run COMMAND as a client of a new jobserver of J slots and
 *       report whether every token came back.</li>
 * </ul>
 * A wrong argument is one line on stderr and exit status 2, never a stack trace.
 */
public final class JobserverTool {
    static final String USAGE =
            "usage: java -jar jobserver-extension.jar [probe | claim [--log FILE] [MILLIS] | serve [--fifo] J COMMAND...]";

    private JobserverTool() {}

    public static void main(String[] args) throws Exception {
        int status;
        try {
            status = run(Arrays.asList(args));
        } catch (UsageException e) {
            System.err.println("jobserver: " + e.getMessage() + "\n" + USAGE);
            status = 2;
        }
        System.exit(status);
    }

    /** Runs one command; the exit status. */
    static int run(List<String> args) throws Exception {
        String command = args.isEmpty() ? "probe" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        switch (command) {
            case "probe":
                return probe();
            case "claim":
                boolean logged = rest.size() >= 2 && rest.get(0).equals("--log");
                Path log = logged ? Paths.get(rest.get(1)) : null;
                List<String> hold = logged ? rest.subList(2, rest.size()) : rest;
                if (hold.size() > 1) {
                    throw new UsageException("claim takes one MILLIS, not " + hold);
                }
                return claim(hold.isEmpty() ? 0 : number(hold.get(0), "MILLIS", 0), log);
            case "serve":
                return serve(rest);
            default:
                throw new UsageException("unknown command " + command);
        }
    }

    /** A non-negative whole number given for {@code what}, at least {@code min}. */
    static int number(String value, String what, int min) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException(what + " must be a whole number of at least " + min + ", not '" + value + "'");
    }

    private static void say(String line) {
        System.out.println("jobserver[" + pid() + "]: " + line);
    }

    /** This process's pid where /proc says it, for messages. */
    private static String pid() {
        try {
            return Paths.get("/proc/self").toRealPath().getFileName().toString();
        } catch (IOException e) {
            return "?";
        }
    }

    private static int probe() throws IOException {
        Lookup lookup = Jobserver.fromEnvironment();
        say(lookup.toString());
        if (lookup.jobserver().isPresent()) {
            lookup.jobserver().get().close();
        }
        return 0;
    }

    private static int claim(long holdMillis, Path log) throws Exception {
        Lookup lookup = Jobserver.fromEnvironment();
        if (!lookup.jobserver().isPresent()) {
            NoJobserver why = lookup.absence();
            say(
                    why.category() == NoJobserver.Category.BROKEN
                            ? why.warning()
                            : "no jobserver (" + why + "), running 1 job");
            return 0;
        }
        if (lookup.makeFlags().map(MakeFlags::dryRun).orElse(false)) {
            say("dry run (make -n): no tokens taken");
            return 0;
        }
        try (Jobserver js = lookup.jobserver().get()) {
            List<Slot> slots = new ArrayList<>();
            int claimed = 0;
            try {
                js.tryAcquireAll(slots, Integer.MAX_VALUE);
                claimed = js.tokensHeld();
                // SIGTERM or Ctrl-C while holding: the slots still go back (a Slot closes only once)
                Thread giveBack = new Thread(() -> slots.forEach(Slot::close), "jobserver-tool-shutdown");
                Runtime.getRuntime().addShutdownHook(giveBack);
                say("claimed " + claimed + " tokens from "
                        + lookup.makeFlags().get().describe() + ", running " + slots.size() + " jobs");
                logSlots(log, "start", slots.size());
                Thread.sleep(holdMillis); // stands for the work the claimed slots do
                logSlots(log, "end", slots.size());
            } finally {
                slots.forEach(Slot::close);
            }
            say("gave back " + (claimed - js.tokensHeld()) + " tokens");
        }
        return 0;
    }

    /** Appends one line per slot, in the start/end format the demo's peak counter reads. */
    private static void logSlots(Path log, String what, int slots) throws IOException {
        if (log == null) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < slots; i++) {
            lines.append(what)
                    .append(" java-")
                    .append(pid())
                    .append('-')
                    .append(i)
                    .append('\n');
        }
        Files.write(
                log,
                lines.toString().getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static int serve(List<String> args) throws IOException, InterruptedException, UsageException {
        boolean fifo = !args.isEmpty() && args.get(0).equals("--fifo");
        List<String> rest = fifo ? args.subList(1, args.size()) : args;
        if (rest.size() < 2) {
            throw new UsageException("serve needs J and a COMMAND");
        }
        int jobs = number(rest.get(0), "J", 1);
        try (JobserverServer server = JobserverServer.create(jobs)) {
            ProcessBuilder child = new ProcessBuilder(rest.subList(1, rest.size())).inheritIO();
            ClientLauncher.prepare(
                    child, server.auth(), fifo ? JobserverAuth.Style.FIFO : JobserverAuth.Style.PIPE, null, jobs);
            say("serving " + jobs + " slots on " + server.fifo() + " to " + rest.subList(1, rest.size()));
            int exit = child.start().waitFor();
            JobserverServer.Report report = server.closeAndCount();
            say(report.toString() + "; command exited " + exit);
            return exit != 0 ? exit : report.whole() ? 0 : 3;
        }
    }

    /** A wrong command line: said in one line. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
