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
    /**
     * Outside make, the slots of the build's own jobserver: a number, or {@code auto} for the processors the JVM
     * sees (a container's CPU quota included); unset means no jobserver of its own. Under make, make's wins.
     */
    static final String JOBS = "jobserver.jobs";
    /** The value of {@link #JOBS} that means the processors the JVM sees. */
    static final String AUTO = "auto";

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
    /** The slots of the build's own jobserver ({@link #JOBS}); 0 when not asked for, or asked for wrongly. */
    final int jobs;
    /** Where {@link #jobs} came from, for the log: {@code jobserver.jobs=4}, {@code jobserver.jobs=auto: 8 processors}. */
    final String jobsSetting;
    /** For {@code auto}, what it came to: {@code auto: 8 processors}; null otherwise. */
    final String jobsAuto;

    final String problem;

    private JobserverSettings(Mode mode, int max, int jobs, String jobsSetting, String jobsAuto, String problem) {
        this.mode = mode;
        this.max = max;
        this.jobs = jobs;
        this.jobsSetting = jobsSetting;
        this.jobsAuto = jobsAuto;
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
                problem(problems, MODE, modeValue, "is not dynamic, claim or off; using dynamic");
            }
        }
        String maxValue = value(MAX, user, system);
        int max = maxValue == null ? 0 : positive(maxValue);
        if (max < 0) {
            problem(problems, MAX, maxValue, "is not a positive number; ignored");
            max = 0;
        }
        String jobsValue = value(JOBS, user, system);
        int jobs = jobs(jobsValue);
        String jobsSetting = null;
        String jobsAuto = null;
        if (jobs > 0) {
            jobsSetting = JOBS + "=" + jobsValue.trim();
            if (AUTO.equalsIgnoreCase(jobsValue.trim())) {
                String processors = ": " + JobserverDecision.count(jobs, "processor");
                jobsAuto = AUTO + processors;
                jobsSetting += processors;
            }
        } else if (jobsValue != null) {
            problem(problems, JOBS, jobsValue, "is not a positive number or auto; ignored");
            jobs = 0;
        }
        return new JobserverSettings(
                mode, max, jobs, jobsSetting, jobsAuto, problems.length() > 0 ? problems.toString() : null);
    }

    /** The slots {@link #JOBS} asks for: the processors for {@code auto}; 0 when unset; -1 when not understood. */
    static int jobs(String value) {
        if (value == null) {
            return 0;
        }
        String v = value.trim();
        if (AUTO.equalsIgnoreCase(v)) {
            return Runtime.getRuntime().availableProcessors(); // follows a container's CPU quota (JDK 10+, 8u191+)
        }
        return positive(v);
    }

    /** The value as a number above 0; -1 when it is not one. */
    private static int positive(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            return n > 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Adds {@code key=value what} to the problems, after a {@code ;} when there are some. */
    private static void problem(StringBuilder problems, String key, String value, String what) {
        problems.append(problems.length() > 0 ? "; " : "")
                .append(key)
                .append('=')
                .append(value)
                .append(' ')
                .append(what);
    }

    private static String value(String key, Properties user, Properties system) {
        String v = user == null ? null : user.getProperty(key);
        return v != null ? v : system == null ? null : system.getProperty(key);
    }
}
