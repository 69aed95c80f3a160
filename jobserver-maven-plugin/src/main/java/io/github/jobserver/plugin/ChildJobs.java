package io.github.jobserver.plugin;

import io.github.jobserver.MakeFlags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A child's own job count, found among its options: make's {@code -jN}, {@code -j N}, a bare {@code -j},
 * {@code --jobs=N}, {@code --jobs N} and {@code -j} in a cluster such as {@code -kj4}; ninja's {@code -jN} and
 * {@code -j N}; cargo's {@code -jN}, {@code -j N}, {@code --jobs=N} and {@code --jobs N}. A child given a count
 * leaves the jobserver (make says {@code -j4 forced in submake: resetting jobserver mode}) and runs that many
 * jobs beside everyone else's, so {@code serve} drops it: the child's jobs come from the jobserver.
 *
 * <p>Only options are read: words after {@code --} (and, for ninja, after {@code -t TOOL}) and the arguments
 * of options that take one are not. A count of 1 is kept: it runs the child serially, on the one slot it has,
 * which is inside the limit and may be what the build needs. The words of a command run through a shell
 * ({@code sh -c '...'}) or any program other than these three are left alone: a script cannot be parsed.
 * Long options are read by their full names only (make and ninja also take an unambiguous prefix).
 */
final class ChildJobs {
    /** ninja's short options with a required argument, {@code -j} and {@code -t} aside. */
    private static final String NINJA_ARGUMENT = "dfklCw";
    /** cargo's short options with a required argument, {@code -j} aside. */
    private static final String CARGO_ARGUMENT = "pFZC";
    /** make's long options that take the next word as their argument when written without {@code =}. */
    private static final String[] MAKE_LONG_ARGUMENT = {
        "--directory",
        "--file",
        "--makefile",
        "--include-dir",
        "--old-file",
        "--assume-old",
        "--new-file",
        "--assume-new",
        "--what-if",
        "--eval",
        "--jobserver-auth",
        "--jobserver-style",
        "--jobserver-fds"
    };

    /** The child's words without its job count. */
    final List<String> words;
    /** The options dropped, each as written ({@code -j 4}; {@code -kj4 (kept -k)} for a cluster); often empty. */
    final List<String> dropped;

    private final List<String> in;
    private final ChildStyle.Program program;
    private final List<String> out = new ArrayList<>();
    private final List<String> found = new ArrayList<>();

    private ChildJobs(List<String> in, ChildStyle.Program program) {
        this.in = in;
        this.program = program;
        scan();
        this.words = Collections.unmodifiableList(out);
        this.dropped = Collections.unmodifiableList(found);
    }

    /**
     * Finds the job count in {@code words} (the executable first) of {@code program}, as
     * {@link ChildStyle#program} names it.
     */
    static ChildJobs find(List<String> words, ChildStyle.Program program) {
        return new ChildJobs(words, program);
    }

    private void scan() {
        out.add(in.get(0));
        if (program == ChildStyle.Program.OTHER) {
            keepFrom(1);
            return;
        }
        for (int i = 1; i < in.size(); i++) {
            String word = in.get(i);
            if (word.equals("--")) {
                keepFrom(i);
                return;
            }
            if (word.startsWith("--")) {
                i = longOption(i, word);
            } else if (word.startsWith("-") && word.length() > 1) {
                i = cluster(i, word);
            } else {
                out.add(word); // a target, VAR=value, a crate name: never an option
            }
        }
    }

    /** Reads {@code --NAME[=VALUE]} at {@code i}; returns the index of the last word it took. */
    private int longOption(int i, String word) {
        int equals = word.indexOf('=');
        String name = equals < 0 ? word : word.substring(0, equals);
        if (name.equals("--jobs") && program != ChildStyle.Program.NINJA) {
            if (equals >= 0) {
                return count(i, word, word.substring(equals + 1), null, false);
            }
            String next = countAfter(i);
            return count(i, word, next, null, next != null);
        }
        if (equals < 0 && program == ChildStyle.Program.MAKE && isOneOf(name, MAKE_LONG_ARGUMENT)) {
            return keep(i, true);
        }
        return keep(i, false);
    }

    /** Reads a cluster of short options at {@code i} ({@code -k}, {@code -kj4}, {@code -C dir}). */
    private int cluster(int i, String word) {
        for (int k = 1; k < word.length(); k++) {
            char option = word.charAt(k);
            String rest = word.substring(k + 1);
            if (option == 'j') {
                String prefix = word.substring(0, k);
                if (!rest.isEmpty()) {
                    return count(i, word, rest, prefix, false);
                }
                String next = countAfter(i);
                return count(i, word, next, prefix, next != null);
            }
            if (program == ChildStyle.Program.NINJA && option == 't') {
                keepFrom(i); // the rest of the words are the tool's
                return in.size();
            }
            if (takesArgument(option)) {
                return keep(i, rest.isEmpty());
            }
            if (program == ChildStyle.Program.MAKE && MakeFlags.optionTakesAttachedArgument(option)) {
                return keep(i, false);
            }
        }
        return keep(i, false);
    }

    private boolean takesArgument(char option) {
        switch (program) {
            case MAKE:
                return MakeFlags.optionNeedsArgument(option); // the rule MAKEFLAGS is read by
            case NINJA:
                return NINJA_ARGUMENT.indexOf(option) >= 0;
            default:
                return CARGO_ARGUMENT.indexOf(option) >= 0;
        }
    }

    /**
     * The word after {@code i} when it is the count of a {@code -j} or {@code --jobs} written alone: any word for
     * ninja and cargo, whose count is required; for make, whose count is optional, only a number, as make reads it.
     */
    private String countAfter(int i) {
        if (i + 1 >= in.size()) {
            return null;
        }
        String next = in.get(i + 1);
        return program != ChildStyle.Program.MAKE || isDigits(next) ? next : null;
    }

    /**
     * Drops the count option at {@code i} ({@code word}, and the next word when {@code tookNext}), keeping the
     * cluster's {@code prefix} of other options, unless the count is 1.
     */
    private int count(int i, String word, String count, String prefix, boolean tookNext) {
        int last = tookNext ? i + 1 : i;
        if (isOne(count)) {
            return keep(i, tookNext);
        }
        String written = tookNext ? word + " " + in.get(i + 1) : word;
        if (prefix != null && prefix.length() > 1) {
            out.add(prefix);
            written += " (kept " + prefix + ")";
        }
        found.add(written);
        return last;
    }

    private int keep(int i, boolean withNext) {
        out.add(in.get(i));
        if (withNext && i + 1 < in.size()) {
            out.add(in.get(i + 1));
            return i + 1;
        }
        return i;
    }

    private void keepFrom(int i) {
        out.addAll(in.subList(i, in.size()));
    }

    /** Whether a count means one job: {@code 1}, or clap's {@code =1} of cargo's {@code -j=1}. */
    private static boolean isOne(String count) {
        if (count == null) {
            return false;
        }
        String digits = count.startsWith("=") ? count.substring(1) : count;
        try {
            return Integer.parseInt(digits) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDigits(String word) {
        if (word.isEmpty()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (word.charAt(k) < '0' || word.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isOneOf(String name, String[] names) {
        for (String candidate : names) {
            if (candidate.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
