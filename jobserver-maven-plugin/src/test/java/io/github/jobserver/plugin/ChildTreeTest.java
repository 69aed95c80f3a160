package io.github.jobserver.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a child killed outright leaves behind is found and stopped, so serve never waits on its output. */
@Timeout(60)
class ChildTreeTest {

    @Test
    void aKilledChildsSurvivorsAreFoundAndStopped() throws Exception {
        // the shell starts a job that holds its output, says so, and is killed a moment later: too soon
        // for the watch's look every 100 ms to be sure of seeing the job, so the output's holders count
        Process child = new ProcessBuilder("sh", "-c", "sleep 600 & echo $$ $!; wait").start();
        ChildTree.Watch watch = new ChildTree.Watch(child);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String[] pids = out.readLine().split(" ");
        new ProcessBuilder("kill", "-KILL", pids[0]).start().waitFor();
        assertEquals(137, child.waitFor());
        assertTrue(Files.exists(Paths.get("/proc/" + pids[1])), "the job outlived its shell");

        List<Object> left = watch.survivors();
        assertEquals(1, left.size(), ChildTree.describe(left));
        assertEquals(pids[1] + " sleep", ChildTree.describe(left));
        ChildTree.stopAll(left, 5_000, true);
        assertEquals(null, out.readLine(), "nobody holds the output any more");
    }

    @Test
    void nothingIsLeftWhenTheChildEndsItsOwnWay() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "sleep 0.1 & wait").start();
        ChildTree.Watch watch = new ChildTree.Watch(child);
        assertEquals(0, child.waitFor());
        assertTrue(watch.survivors().isEmpty());
    }
}
