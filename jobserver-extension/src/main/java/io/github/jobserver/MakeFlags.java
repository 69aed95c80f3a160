package io.github.jobserver;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * MAKEFLAGS: what it says about the jobserver, read the way make itself reads it (getopt over words, the
 * first word being bare single-letter flags), and what a child is given to join a jobserver.
 *
 * <p>Forms understood (GNU make manual "POSIX Jobserver"; make 3.82 to 4.4.1): {@code --jobserver-fds=R,W}
 * (make 4.1 and older), {@code --jobserver-auth=R,W} (4.2+), {@code --jobserver-auth=fifo:PATH} (4.4+),
 * a Windows semaphore name; the last {@code --jobserver-auth=} wins and {@code --jobserver-fds=} is the
 * fallback; negative descriptors mean make disabled the jobserver for this child; words after a
 * standalone {@code --} are variable assignments, never flags. Reading and writing split words with one
 * rule, make's ({@link MakeFlagsWords}).
 */
public final class MakeFlags {

    /** Variables read by {@link #fromEnvironment}, first present wins: the order cargo's jobserver uses. */
    public static final List<String> VARIABLES =
            Collections.unmodifiableList(Arrays.asList("CARGO_MAKEFLAGS", "MAKEFLAGS", "MFLAGS"));

    private final String variable;
    private final String value;
    private final boolean dryRun;
    private final int jobs;
    private final JobserverAuth auth;
    private final NoJobserver absence;

    MakeFlags(String variable, String value, boolean dryRun, int jobs, JobserverAuth auth, NoJobserver absence) {
        this.variable = variable;
        this.value = value;
        this.dryRun = dryRun;
        this.jobs = jobs;
        this.auth = auth;
        this.absence = absence;
    }

    /**
     * Whether make's single-letter {@code option} needs an argument, the rest of its word or the next word
     * ({@code -C dir}, {@code -fFILE}): make's own rule, the one MAKEFLAGS is read and written by, for callers
     * that read a make command line.
     */
    public static boolean optionNeedsArgument(char option) {
        return MakeFlagsWords.needsArgument(option);
    }

    /** Whether make's single-letter {@code option} takes an optional argument, only as the rest of its word ({@code -j4}, {@code -l2}, {@code -Oline}). */
    public static boolean optionTakesAttachedArgument(char option) {
        return MakeFlagsWords.takesAttachedArgument(option);
    }

    /** Whether any of {@link #VARIABLES} is set in {@code env} (outside make none is). */
    public static boolean inEnvironment(Map<String, String> env) {
        for (String name : VARIABLES) {
            if (env.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    /** Reads the first of CARGO_MAKEFLAGS, MAKEFLAGS, MFLAGS present in {@code env}. */
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
        return MakeFlagsParser.parse(variable, value);
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

    /**
     * MAKEFLAGS for a child given the jobserver {@code auth}: the inherited flags and variables kept as
     * written (as make passes them to a sub-make), every {@code -j} and jobserver option replaced by
     * {@code -jJ --jobserver-auth=VALUE}, and every dry-run flag dropped: a child that is started is meant
     * to run.
     *
     * @param inherited the MAKEFLAGS (or MFLAGS) to keep flags and variables from, or null for none
     * @param jobs the J of {@code -jJ}, or 0 when unknown (then no {@code -j} is written)
     */
    static String forChild(String inherited, JobserverAuth auth, int jobs) {
        MakeFlagsWords words = MakeFlagsWords.split(inherited == null ? "" : inherited);
        StringBuilder flags = new StringBuilder();
        StringBuilder variables = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            int kind = words.kind(i);
            if (kind == MakeFlagsWords.VARIABLE) {
                variables.append(' ').append(words.raw(i));
            } else if (kind == MakeFlagsWords.CLUSTER) {
                i = keepCluster(words, i, flags);
            } else if (kind == MakeFlagsWords.LONG_OPTION) {
                i = keepLongOption(words, i, flags);
            } else if (kind == MakeFlagsWords.OTHER && !readsAsFlags(words.text(i), flags)) {
                String raw = flags.length() == 0 ? asFirst(words.raw(i)) : words.raw(i);
                flags.append(' ').append(raw);
            }
        }
        if (jobs > 0) {
            flags.append(" -j").append(jobs);
        }
        flags.append(" --jobserver-auth=").append(MakeFlagsWords.escape(auth.toAuthValue()));
        if (variables.length() > 0) {
            flags.append(" --").append(variables);
        }
        return flags.toString();
    }

    /**
     * Writes cluster word {@code i} (and the argument word it takes) without {@code n} and without {@code -j}
     * and its count; returns the index of the last word used.
     */
    private static int keepCluster(MakeFlagsWords words, int i, StringBuilder flags) {
        String letters = words.letters(i);
        int at = MakeFlagsWords.optionAt(letters);
        boolean jobs = at < letters.length() && letters.charAt(at) == 'j';
        boolean bare = i == 0 && !words.text(i).startsWith("-");
        String kept;
        if (!jobs && letters.lastIndexOf('n', at - 1) < 0 && !words.argumentMissing(i)) {
            kept = words.raw(i);
        } else {
            kept = withoutDryRunOrJobs(letters, at, jobs || words.argumentMissing(i));
            kept = kept.isEmpty() || bare ? kept : "-" + kept;
        }
        if (!kept.isEmpty()) {
            flags.append(bare ? "" : " ").append(kept);
        }
        if (!words.isArgument(i + 1)) {
            return i;
        }
        if (!jobs) {
            flags.append(' ').append(words.raw(i + 1));
        }
        return i + 1;
    }

    /**
     * The flags of a cluster with {@code n} and the option at {@code at} dropped when asked; only letters are
     * kept (make ignores any other character there), so what is left reads as flags in any position.
     */
    private static String withoutDryRunOrJobs(String letters, int at, boolean dropOption) {
        StringBuilder kept = new StringBuilder();
        for (int k = 0; k < at; k++) {
            char c = letters.charAt(k);
            if (c != 'n' && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                kept.append(c);
            }
        }
        if (!dropOption && at < letters.length()) {
            kept.append(letters.charAt(at)).append(MakeFlagsWords.escape(letters.substring(at + 1)));
        }
        return kept.toString();
    }

    /** Writes long option {@code i} unless it is a jobs, jobserver or dry-run one; returns the last word used. */
    private static int keepLongOption(MakeFlagsWords words, int i, StringBuilder flags) {
        String text = words.text(i);
        int eq = text.indexOf('=');
        switch (eq < 0 ? text : text.substring(0, eq)) {
            case "--jobs":
                return words.isArgument(i + 1) ? i + 1 : i;
            case "--jobserver-auth":
            case "--jobserver-fds":
            case "--dry-run":
            case "--just-print":
            case "--recon":
                return i;
            default:
                flags.append(' ').append(words.raw(i));
                return i;
        }
    }

    /**
     * Whether a word make ignores in MAKEFLAGS would read as flags here: as the first word (nothing written
     * yet), one without a dash or an {@code =} is a cluster. Left out then, as it meant nothing where it was.
     */
    private static boolean readsAsFlags(String text, StringBuilder flags) {
        return flags.length() == 0 && !text.startsWith("-") && text.indexOf('=') < 0;
    }

    /** {@code raw} written as the first word: escaped where make would skip its first character there. */
    private static String asFirst(String raw) {
        return MakeFlagsWords.isSpace(raw.charAt(0)) ? "\\" + raw : raw;
    }

    /** MFLAGS as make writes it from {@code makeflags}: the flags with a leading dash, no variables. */
    static String mflags(String makeflags) {
        MakeFlagsWords words = MakeFlagsWords.split(makeflags);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words.size() && words.kind(i) != MakeFlagsWords.END_OF_FLAGS; i++) {
            boolean bare = i == 0
                    && words.kind(i) == MakeFlagsWords.CLUSTER
                    && !words.text(i).startsWith("-");
            out.append(i == 0 ? "" : " ").append(bare ? "-" : "").append(words.raw(i));
        }
        return out.toString();
    }
}
