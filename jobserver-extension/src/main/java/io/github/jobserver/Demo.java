package io.github.jobserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The library's command-line demo: {@code java -jar jobserver-extension.jar COMMAND}.
 * <ul>
 *   <li>{@code probe}: say which jobserver this process was given, or why there is none.</li>
 *   <li>{@code claim [MILLIS]}: as the Linux kernel's jobserver-exec does, take every token free right
 *       now, report {@code claimed N tokens}, hold them for MILLIS, give them all back.</li>
 *   <li>{@code serve [--fifo] J COMMAND...}: run COMMAND as a client of a new jobserver of J slots and
 *       report whether every token came back.</li>
 * </ul>
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "probe" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        int status;
        switch (command) {
            case "probe":
                status = probe();
                break;
            case "claim":
                boolean logged = rest.size() >= 2 && rest.get(0).equals("--log");
                Path log = logged ? Paths.get(rest.get(1)) : null;
                List<String> hold = logged ? rest.subList(2, rest.size()) : rest;
                status = claim(hold.isEmpty() ? 0 : Long.parseLong(hold.get(0)), log);
                break;
            case "serve":
                status = serve(rest);
                break;
            default:
                System.err.println("usage: java -jar jobserver-extension.jar [probe | claim [--log FILE] [MILLIS] | serve [--fifo] J COMMAND...]");
                status = 2;
        }
        System.exit(status);
    }

    private static void say(String line) {
        System.out.println("jobserver-demo[" + ProcessHandleCompat.pid() + "]: " + line);
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
            say(why.category() == NoJobserver.Category.BROKEN
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
                for (Optional<Slot> slot; (slot = js.tryAcquire()).isPresent(); ) {
                    slots.add(slot.get());
                }
                claimed = js.tokensHeld();
                // SIGTERM or Ctrl-C while holding: the slots still go back (a Slot closes only once)
                Thread giveBack = new Thread(() -> slots.forEach(Slot::close), "jobserver-demo-shutdown");
                Runtime.getRuntime().addShutdownHook(giveBack);
                say("claimed " + claimed + " tokens from " + lookup.makeFlags().get().describe()
                        + ", running " + slots.size() + " jobs");
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
            lines.append(what).append(" java-").append(ProcessHandleCompat.pid()).append('-').append(i).append('\n');
        }
        Files.write(log, lines.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static int serve(List<String> args) throws IOException, InterruptedException {
        boolean fifo = !args.isEmpty() && args.get(0).equals("--fifo");
        List<String> rest = fifo ? args.subList(1, args.size()) : args;
        if (rest.size() < 2) {
            System.err.println("usage: serve [--fifo] J COMMAND...");
            return 2;
        }
        int jobs = Integer.parseInt(rest.get(0));
        try (JobserverServer server = JobserverServer.create(jobs)) {
            ProcessBuilder child = new ProcessBuilder(rest.subList(1, rest.size())).inheritIO();
            ClientLauncher.prepare(child, server.auth(), fifo ? ClientLauncher.Style.FIFO : ClientLauncher.Style.FDS,
                    null, jobs);
            say("serving " + jobs + " slots on " + server.fifo() + " to " + rest.subList(1, rest.size()));
            int exit = child.start().waitFor();
            JobserverServer.Report report = server.closeAndCount();
            say(report.toString() + "; command exited " + exit);
            return exit != 0 ? exit : report.whole() ? 0 : 3;
        }
    }
}
