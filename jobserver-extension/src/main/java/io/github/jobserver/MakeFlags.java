package io.github.jobserver;

import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * MAKEFLAGS as GNU make writes it for its children, read the way make itself reads it (getopt over
 * words, the first word being bare single-letter flags).
 *
 * <p>Forms understood (GNU make manual "POSIX Jobserver"; make 3.82 to 4.4.1): {@code --jobserver-fds=R,W}
 * (make 4.1 and older), {@code --jobserver-auth=R,W} (4.2+), {@code --jobserver-auth=fifo:PATH} (4.4+),
 * a Windows semaphore name; the last {@code --jobserver-auth=} wins and {@code --jobserver-fds=} is the
 * fallback; negative descriptors mean make disabled the jobserver for this child; words after a
 * standalone {@code --} are variable assignments, never flags.
 */
public final class MakeFlags {

    /** Variables read by {@link #fromEnvironment}, first present wins: the order cargo's jobserver uses. */
    public static final List<String> VARIABLES =
            Collections.unmodifiableList(Arrays.asList("CARGO_MAKEFLAGS", "MAKEFLAGS", "MFLAGS"));

    /** Short options of make that take an argument (the rest of the word, or the next word). */
    private static final String REQUIRED_ARG = "CEIWfo";
    /** Short options of make whose argument is optional and, if present, attached. */
    private static final String OPTIONAL_ARG = "Ol";

    private final String variable;
    private final String value;
    private final boolean dryRun;
    private final int jobs;
    private final JobserverAuth auth;
    private final NoJobserver absence;

    private MakeFlags(
            String variable, String value, boolean dryRun, int jobs, JobserverAuth auth, NoJobserver absence) {
        this.variable = variable;
        this.value = value;
        this.dryRun = dryRun;
        this.jobs = jobs;
        this.auth = auth;
        this.absence = absence;
    }

    /** Reads the first of CARGO_MAKEFLAGS, MAKEFLAGS, MFLAGS present in {@code env}. */
    /** Whether any of {@link #VARIABLES} is set in {@code env} (outside make none is). */
    public static boolean inEnvironment(Map<String, String> env) {
        for (String name : VARIABLES) {
            if (env.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    public static MakeFlags fromEnvironment(Map<String, String> env) {
        for (String name : VARIABLES) {
            String value = env.get(name);
            if (value != null) {
                return parse(name, value);
            }
        }
        return new MakeFlags(
                null,
                "",
                false,
                JOBS_UNSET,
                null,
                new NoJobserver(NoJobserver.Reason.NONE_ADVERTISED, "no MAKEFLAGS in the environment"));
    }

    /** Parses a MAKEFLAGS value. Never throws: problems come back as {@link #absence()}. */
    public static MakeFlags parse(String value) {
        return parse("MAKEFLAGS", value);
    }

    static MakeFlags parse(String variable, String value) {
        return new Parser(variable, value).parse();
    }

    static final int JOBS_UNSET = -1;
    static final int JOBS_UNLIMITED = 0;

    /** The variable this came from (for messages), e.g. {@code MAKEFLAGS}; null when none was set. */
    public String variable() {
        return variable;
    }

    /** The raw value. */
    public String value() {
        return value;
    }

    /** True under {@code make -n}: a dry run must not take tokens or do work. */
    public boolean dryRun() {
        return dryRun;
    }

    /** The N of {@code -jN} when given (make 4.2+ writes it next to the jobserver option). */
    public OptionalInt jobs() {
        return jobs > 0 ? OptionalInt.of(jobs) : OptionalInt.empty();
    }

    /** True for a bare {@code -j} (no limit, so no jobserver). */
    public boolean unlimitedJobs() {
        return jobs == JOBS_UNLIMITED;
    }

    /** The advertised jobserver, if any, parsed but not yet checked. */
    public Optional<JobserverAuth> auth() {
        return Optional.ofNullable(auth);
    }

    /** Why there is no jobserver; null when {@link #auth()} is present. */
    public NoJobserver absence() {
        return absence;
    }

    /** For logs: {@code make -j8 (pipe 3,4)}, {@code make (fifo /tmp/GMfifo1)}. */
    public String describe() {
        String j = jobs > 0 ? "make -j" + jobs : "make";
        return auth == null ? j + " (" + absence + ")" : j + " (" + auth + ")";
    }

    @Override
    public String toString() {
        return (variable == null ? "MAKEFLAGS" : variable) + "='" + value + "'";
    }

    /** Splits on blanks the way make quotes: a backslash escapes the next character. */
    static List<String> words(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(value.charAt(++i));
            } else if (c == ' ' || c == '\t' || c == '\n') {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            out.add(word.toString());
        }
        return out;
    }

    // Hand-written checks instead of java.util.regex: the parser runs at every Maven start under make,
    // and a first Pattern costs milliseconds of class loading in a fresh JVM.

    /** 1..max ASCII digits. */
    static boolean isDigits(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code R,W}, each an optional '-' and 1..10 digits, as {R, W}; null when it is not that. */
    static long[] fds(String raw) {
        int comma = raw.indexOf(',');
        if (comma < 0) {
            return null;
        }
        String r = raw.substring(0, comma);
        String w = raw.substring(comma + 1);
        if (!isFd(r) || !isFd(w)) {
            return null;
        }
        return new long[] {Long.parseLong(r), Long.parseLong(w)};
    }

    private static boolean isFd(String s) {
        return isDigits(s.startsWith("-") ? s.substring(1) : s, 10);
    }

    /** A Windows semaphore name as make writes it ({@code gmake_semaphore_1234}): [A-Za-z_][A-Za-z0-9_.-]*. */
    static boolean isSemaphoreName(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) && s.charAt(0) < 128 || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '_'
                    || c == '.'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A C0 control character or DEL (NUL and line breaks among them). */
    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f;
    }

    /** True when {@code s} holds a control character. */
    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code s} for a one-line message: control characters as Java escapes ({@code \n}, {@code \u0000}). */
    static String printable(String s) {
        if (!hasControl(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (isControl(c)) {
                String hex = Integer.toHexString(c);
                out.append("\\u").append("0000", hex.length(), 4).append(hex);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static final class Parser {
        private final String variable;
        private final String value;
        private final List<String> words;
        private int next;
        private boolean dryRun;
        private int jobs = JOBS_UNSET;
        private String authValue;
        private String fdsValue;

        Parser(String variable, String value) {
            this.variable = variable;
            this.value = value;
            this.words = words(value);
        }

        MakeFlags parse() {
            // make's decode_env_switches: a first word without '-' is a cluster of single-letter flags
            // (MAKEFLAGS="ks -j3 ..."); MFLAGS spells the same word with a dash ("-ks -j3 ...").
            boolean leadingBlank = value.isEmpty() || Character.isWhitespace(value.charAt(0));
            if (!leadingBlank && !words.isEmpty() && !words.get(0).startsWith("-")) {
                cluster(words.get(next++));
            }
            while (next < words.size()) {
                String word = words.get(next++);
                if (word.equals("--")) {
                    break; // the rest are command-line variable assignments
                } else if (word.startsWith("--")) {
                    longOption(word.substring(2));
                } else if (word.startsWith("-") && word.length() > 1) {
                    cluster(word.substring(1));
                }
                // any other word is not a flag (an old-style variable assignment): ignore it
            }
            return result();
        }

        private void longOption(String option) {
            int eq = option.indexOf('=');
            String name = eq < 0 ? option : option.substring(0, eq);
            String arg = eq < 0 ? null : option.substring(eq + 1);
            switch (name) {
                case "jobserver-auth":
                    authValue = arg == null ? "" : arg;
                    break;
                case "jobserver-fds":
                    fdsValue = arg == null ? "" : arg;
                    break;
                case "jobs":
                    jobs = arg == null ? optionalCount() : count(arg);
                    break;
                case "dry-run":
                case "just-print":
                case "recon":
                    dryRun = true;
                    break;
                default:
                    break; // other long options do not concern the jobserver
            }
        }

        private void cluster(String letters) {
            for (int i = 0; i < letters.length(); i++) {
                char c = letters.charAt(i);
                String rest = letters.substring(i + 1);
                if (c == 'n') {
                    dryRun = true;
                } else if (c == 'j') {
                    jobs = rest.isEmpty() ? optionalCount() : count(rest);
                    return;
                } else if (OPTIONAL_ARG.indexOf(c) >= 0) {
                    return; // the rest of the word is its argument
                } else if (REQUIRED_ARG.indexOf(c) >= 0) {
                    if (rest.isEmpty() && next < words.size()) {
                        next++; // the argument is the next word
                    }
                    return;
                }
            }
        }

        /** {@code -j} followed by a separate all-digit word takes it as the count, as make does. */
        private int optionalCount() {
            if (next < words.size() && isDigits(words.get(next), 9)) {
                return count(words.get(next++));
            }
            return JOBS_UNLIMITED;
        }

        private int count(String digits) {
            if (!isDigits(digits, 9)) {
                return JOBS_UNSET; // make would reject it; it says nothing about the jobserver
            }
            int n = Integer.parseInt(digits);
            return n == 0 ? JOBS_UNSET : n;
        }

        private MakeFlags result() {
            String option = authValue != null ? "--jobserver-auth" : "--jobserver-fds";
            String raw = authValue != null ? authValue : fdsValue;
            if (raw == null) {
                String why = jobs == JOBS_UNLIMITED
                        ? "make -j without a limit runs no jobserver"
                        : jobs == 1 ? "make -j1 runs no jobserver" : "no --jobserver-auth in " + variable;
                return absent(NoJobserver.Reason.NONE_ADVERTISED, why);
            }
            long[] fds = fds(raw);
            if (raw.startsWith("fifo:") && authValue != null) {
                String path = raw.substring("fifo:".length());
                if (path.isEmpty() || !path.startsWith("/")) {
                    return absent(
                            NoJobserver.Reason.UNPARSEABLE,
                            option + "=" + printable(raw) + ": the FIFO path must be absolute");
                }
                if (hasControl(path)) {
                    return absent(
                            NoJobserver.Reason.UNPARSEABLE,
                            option + "=" + printable(raw) + ": the FIFO path holds control characters");
                }
                try {
                    return found(JobserverAuth.fifo(Paths.get(path)));
                } catch (InvalidPathException e) {
                    return absent(
                            NoJobserver.Reason.UNPARSEABLE,
                            option + "=" + printable(raw) + ": not a path here (" + printable(e.getReason()) + ")");
                }
            } else if (fds != null) {
                long r = fds[0];
                long w = fds[1];
                if (r < 0 || w < 0) {
                    return absent(
                            NoJobserver.Reason.DISABLED,
                            option + "=" + printable(raw)
                                    + ": make disabled the jobserver for this command (negative fds)");
                }
                if (r > Integer.MAX_VALUE || w > Integer.MAX_VALUE) {
                    return absent(NoJobserver.Reason.UNPARSEABLE, option + "=" + printable(raw) + ": fd out of range");
                }
                return found(JobserverAuth.pipe((int) r, (int) w));
            } else if (authValue != null && isSemaphoreName(raw)) {
                return found(JobserverAuth.semaphore(raw)); // the back end says whether it can use one
            }
            return absent(NoJobserver.Reason.UNPARSEABLE, "cannot parse " + option + "=" + printable(raw));
        }

        private MakeFlags found(JobserverAuth auth) {
            return new MakeFlags(variable, value, dryRun, jobs, auth, null);
        }

        private MakeFlags absent(NoJobserver.Reason reason, String detail) {
            return new MakeFlags(variable, value, dryRun, jobs, null, new NoJobserver(reason, detail));
        }
    }
}
