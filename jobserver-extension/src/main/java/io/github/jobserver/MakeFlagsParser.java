package io.github.jobserver;

import java.nio.file.InvalidPathException;
import java.nio.file.Paths;

/**
 * Reads what a MAKEFLAGS value says about the jobserver: the dry run, the {@code -j} count and the
 * {@code --jobserver-auth=} (or old {@code --jobserver-fds=}) value, checked into a {@link JobserverAuth} or
 * a {@link NoJobserver} reason. The words and what each one is come from {@link MakeFlagsWords}.
 */
final class MakeFlagsParser {
    private final String variable;
    private final String value;
    private final MakeFlagsWords words;
    private boolean dryRun;
    private int jobs = MakeFlags.JOBS_UNSET;
    private String authValue;
    private String fdsValue;

    private MakeFlagsParser(String variable, String value) {
        this.variable = variable;
        this.value = value;
        this.words = MakeFlagsWords.split(value);
    }

    /** Parses {@code value}, read from {@code variable}. Never throws: problems come back as the absence. */
    static MakeFlags parse(String variable, String value) {
        return new MakeFlagsParser(variable, value).parse();
    }

    private MakeFlags parse() {
        for (int i = 0; i < words.size(); i++) {
            switch (words.kind(i)) {
                case MakeFlagsWords.CLUSTER:
                    cluster(words.letters(i), i + 1);
                    break;
                case MakeFlagsWords.LONG_OPTION:
                    longOption(words.text(i).substring(2), i + 1);
                    break;
                default:
                    break; // an argument, a variable, or a word that is no flag: nothing about the jobserver
            }
        }
        return result();
    }

    private void longOption(String option, int next) {
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
                jobs = arg == null ? optionalCount(next) : count(arg);
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

    private void cluster(String letters, int next) {
        int at = MakeFlagsWords.optionAt(letters);
        if (letters.lastIndexOf('n', at - 1) >= 0) {
            dryRun = true;
        }
        if (at < letters.length() && letters.charAt(at) == 'j') {
            String rest = letters.substring(at + 1);
            jobs = rest.isEmpty() ? optionalCount(next) : count(rest);
        }
    }

    /** {@code -j} without a count: the next word when it is the count, else no limit. */
    private int optionalCount(int next) {
        return words.isArgument(next) ? count(words.text(next)) : MakeFlags.JOBS_UNLIMITED;
    }

    private static int count(String digits) {
        if (!MakeFlagsWords.isDigits(digits, 9)) {
            return MakeFlags.JOBS_UNSET; // make would reject it; it says nothing about the jobserver
        }
        int n = Integer.parseInt(digits);
        return n == 0 ? MakeFlags.JOBS_UNSET : n;
    }

    private MakeFlags result() {
        String option = authValue != null ? "--jobserver-auth" : "--jobserver-fds";
        String raw = authValue != null ? authValue : fdsValue;
        if (raw == null) {
            String why = jobs == MakeFlags.JOBS_UNLIMITED
                    ? "make -j without a limit runs no jobserver"
                    : jobs == 1 ? "make -j1 runs no jobserver" : "no --jobserver-auth in " + variable;
            return absent(NoJobserver.Reason.NONE_ADVERTISED, why);
        }
        String shown = option + "=" + printable(raw);
        if (raw.startsWith("fifo:") && authValue != null) {
            return fifo(raw.substring("fifo:".length()), shown);
        }
        long[] fds = fds(raw);
        if (fds != null) {
            if (fds[0] < 0 || fds[1] < 0) {
                return absent(
                        NoJobserver.Reason.DISABLED,
                        shown + ": make disabled the jobserver for this command (negative fds)");
            }
            if (fds[0] > Integer.MAX_VALUE || fds[1] > Integer.MAX_VALUE) {
                return absent(NoJobserver.Reason.UNPARSEABLE, shown + ": fd out of range");
            }
            return found(JobserverAuth.pipe((int) fds[0], (int) fds[1]));
        } else if (authValue != null && isSemaphoreName(raw)) {
            return found(JobserverAuth.semaphore(raw)); // the back end says whether it can use one
        }
        return absent(NoJobserver.Reason.UNPARSEABLE, "cannot parse " + shown);
    }

    private MakeFlags fifo(String path, String shown) {
        if (path.isEmpty() || !path.startsWith("/")) {
            return absent(NoJobserver.Reason.UNPARSEABLE, shown + ": the FIFO path must be absolute");
        }
        if (hasControl(path)) {
            return absent(NoJobserver.Reason.UNPARSEABLE, shown + ": the FIFO path holds control characters");
        }
        try {
            return found(JobserverAuth.fifo(Paths.get(path)));
        } catch (InvalidPathException e) {
            return absent(
                    NoJobserver.Reason.UNPARSEABLE, shown + ": not a path here (" + printable(e.getReason()) + ")");
        }
    }

    private MakeFlags found(JobserverAuth auth) {
        return new MakeFlags(variable, value, dryRun, jobs, auth, null);
    }

    private MakeFlags absent(NoJobserver.Reason reason, String detail) {
        return new MakeFlags(variable, value, dryRun, jobs, null, new NoJobserver(reason, detail));
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
        return MakeFlagsWords.isDigits(s.startsWith("-") ? s.substring(1) : s, 10);
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
}
