package io.github.jobserver.maven;

import java.util.Locale;
import java.util.Properties;

/**
 * The extension's settings, each read from Maven's user properties ({@code -D}), then system
 * properties, then its default.
 */
final class JobserverSettings {

    /** {@code dynamic} (default), {@code claim} or {@code off}. */
    static final String MODE = "jobserver.mode";
    /** Upper bound on Maven's threads under a jobserver; unset means no bound of its own. */
    static final String MAX = "jobserver.max";

    /** How Maven takes part in make's jobserver. */
    enum Mode {
        /** Every module build holds a slot while it runs, acquired just before it starts. */
        DYNAMIC,
        /** Take the tokens free at start (up to cap-1), run with 1 + claimed threads, return them at the end. */
        CLAIM,
        /** Ignore the jobserver. */
        OFF
    }

    final Mode mode;
    final int max;
    final String problem;

    private JobserverSettings(Mode mode, int max, String problem) {
        this.mode = mode;
        this.max = max;
        this.problem = problem;
    }

    static JobserverSettings read(Properties user, Properties system) {
        StringBuilder problems = new StringBuilder();
        String modeValue = value(MODE, user, system);
        Mode mode = Mode.DYNAMIC;
        if (modeValue != null) {
            try {
                mode = Mode.valueOf(modeValue.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.append(MODE)
                        .append('=')
                        .append(modeValue)
                        .append(" is not dynamic, claim or off; using dynamic");
            }
        }
        String maxValue = value(MAX, user, system);
        int max = 0;
        if (maxValue != null) {
            try {
                max = Integer.parseInt(maxValue.trim());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1) {
                problems.append(problems.length() > 0 ? "; " : "")
                        .append(MAX)
                        .append('=')
                        .append(maxValue)
                        .append(" is not a positive number; ignored");
                max = 0;
            }
        }
        return new JobserverSettings(mode, max, problems.length() > 0 ? problems.toString() : null);
    }

    private static String value(String key, Properties user, Properties system) {
        String v = user == null ? null : user.getProperty(key);
        return v != null ? v : system == null ? null : system.getProperty(key);
    }
}
