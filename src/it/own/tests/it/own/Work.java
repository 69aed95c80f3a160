package it.own;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * work.ms of work in a test JVM, its start and end appended to work.log (O_APPEND: whole lines); the start
 * line also names the JVM's pid, so that the IT can tell whether this JVM outlived a signal to Maven.
 */
final class Work {
    private Work() {}

    static void run(String name) throws IOException, InterruptedException {
        String item = System.getProperty("work.module") + "/" + name;
        log("start " + item + " pid " + ProcessHandle.current().pid());
        Thread.sleep(Long.parseLong(System.getProperty("work.ms")));
        log("end " + item);
        if (name.equals(System.getProperty("work.fail"))) {
            throw new AssertionError("work item " + item + " failed on purpose");
        }
    }

    private static void log(String line) throws IOException {
        Files.write(Paths.get(System.getProperty("work.log")), (line + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
