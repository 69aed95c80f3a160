package io.github.jobserver.plugin;

import java.io.File;

/** Finds a command as {@code execvp} would, so a missing one gets one clear error before anything starts. */
final class Executables {
    private Executables() {}

    /** The path of the executable file {@code name} names, or null. */
    static String find(String name, File directory, String path) {
        if (name.isEmpty()) {
            return null;
        }
        if (name.contains("/")) {
            File file = new File(name).isAbsolute() ? new File(name) : new File(directory, name);
            return file.isFile() && file.canExecute() ? file.getPath() : null;
        }
        for (String dir : (path == null ? "" : path).split(File.pathSeparator, -1)) {
            File file = new File(dir.isEmpty() ? "." : dir, name);
            if (file.isFile() && file.canExecute()) {
                return file.getPath();
            }
        }
        return null;
    }
}
