package it.forks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/** One second of work in a test JVM, its start and end appended to work.log (O_APPEND: whole lines). */
final class Work {
    private Work() {
    }

    static void run(String name) throws IOException, InterruptedException {
        String item = System.getProperty("work.module") + "/" + name;
        log("start " + item);
        Thread.sleep(1000);
        log("end " + item);
        if (name.equals(System.getProperty("work.fail"))) {
            throw new AssertionError("work item " + item + " failed on purpose");
        }
    }

    private static void log(String line) throws IOException {
        Files.write(Paths.get(System.getProperty("work.log")), (line + " " + System.nanoTime() + "\n")
                .getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
