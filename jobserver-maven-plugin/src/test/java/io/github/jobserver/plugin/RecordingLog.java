package io.github.jobserver.plugin;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;

/** The mojo's log, kept: each line with its level as Maven prints it. */
final class RecordingLog extends SystemStreamLog {
    private final List<String> lines = new ArrayList<>();

    @Override
    public void info(CharSequence content) {
        add("[INFO] " + content);
    }

    @Override
    public void debug(CharSequence content) {
        add("[DEBUG] " + content);
    }

    @Override
    public void warn(CharSequence content) {
        add("[WARNING] " + content);
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    synchronized String text() {
        return String.join("\n", lines);
    }

    synchronized String awaitFirstLine() throws InterruptedException {
        while (lines.isEmpty()) {
            wait();
        }
        return lines.get(0);
    }
}
