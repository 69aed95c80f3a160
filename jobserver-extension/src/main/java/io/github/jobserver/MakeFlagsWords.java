package io.github.jobserver;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a MAKEFLAGS value as GNU make splits them, and what each word is to make's option parser.
 * Reading ({@link MakeFlagsParser}) and writing ({@link MakeFlags#forChild}) both go through this class, so
 * they cannot disagree on a word.
 *
 * <p>GNU make 4.4.1, main.c {@code decode_env_switches}: white space at the start is skipped (C's
 * {@code isspace}); words are separated by blanks only, a space or a tab (a newline, vertical tab, form feed
 * or carriage return is part of a word: make 4.3 here reads {@code " -k\vn"} as a dry run); a backslash
 * makes the next character literal; the first word is a cluster of single-letter flags when it starts
 * without {@code -} and holds no {@code =} (make adds the dash). {@code decode_switches} then reads the
 * words with getopt: {@code --} ends the options, an option that needs an argument takes the next word
 * when its own word has none, and {@code -j} or {@code --jobs} takes a following all-digit word.
 */
final class MakeFlagsWords {

    /** A cluster of single-letter flags: {@code -kj4}, or make's first word without the dash ({@code ks}). */
    static final int CLUSTER = 1;
    /** {@code --name} or {@code --name=value}. */
    static final int LONG_OPTION = 2;
    /** The argument of the option before it ({@code -C dir}, {@code -j 5}). */
    static final int ARGUMENT = 3;
    /** A word that is no option: a variable assignment, or something make ignores in MAKEFLAGS. */
    static final int OTHER = 4;
    /** The standalone {@code --}. */
    static final int END_OF_FLAGS = 5;
    /** A word after {@code --}: a command-line variable assignment, never a flag. */
    static final int VARIABLE = 6;

    /** Single-letter options of make that need an argument (the rest of the word, or the next word). */
    private static final String REQUIRED_ARG = "CEIWfo";
    /** Single-letter options of make whose argument is optional and, if present, the rest of the word. */
    private static final String OPTIONAL_ARG = "Ojl";

    private final List<String> texts = new ArrayList<>();
    private final List<String> raws = new ArrayList<>();
    private int[] kinds;

    private MakeFlagsWords() {}

    /** Splits {@code value} and says what each word is. */
    static MakeFlagsWords split(String value) {
        MakeFlagsWords words = new MakeFlagsWords();
        words.tokenize(value);
        words.classify();
        return words;
    }

    int size() {
        return texts.size();
    }

    /** Word {@code i} as make reads it, escapes undone. */
    String text(int i) {
        return texts.get(i);
    }

    /** Word {@code i} as written, escapes kept, so that it reads back as {@link #text} wherever it is put. */
    String raw(int i) {
        return raws.get(i);
    }

    /** What word {@code i} is: {@link #CLUSTER}, {@link #LONG_OPTION}, ... */
    int kind(int i) {
        return kinds[i];
    }

    /** The letters of cluster word {@code i}, without its dash. */
    String letters(int i) {
        String text = texts.get(i);
        return text.startsWith("-") ? text.substring(1) : text;
    }

    /** Whether word {@code i} is the argument of the option before it. */
    boolean isArgument(int i) {
        return i < kinds.length && kinds[i] == ARGUMENT;
    }

    /**
     * Where in {@code letters} the first option that takes an argument is: the letters before it are flags
     * without one, the letters after it are its argument. {@code letters.length()} when there is none.
     */
    /** Whether make's single-letter {@code option} needs an argument: the rest of its word, or the next word. */
    static boolean needsArgument(char option) {
        return REQUIRED_ARG.indexOf(option) >= 0;
    }

    /** Whether make's single-letter {@code option} takes an optional argument, only as the rest of its word. */
    static boolean takesAttachedArgument(char option) {
        return OPTIONAL_ARG.indexOf(option) >= 0;
    }

    static int optionAt(String letters) {
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            if (REQUIRED_ARG.indexOf(c) >= 0 || OPTIONAL_ARG.indexOf(c) >= 0) {
                return i;
            }
        }
        return letters.length();
    }

    /** Whether cluster word {@code i} needs the next word as an argument and none follows. */
    boolean argumentMissing(int i) {
        String letters = letters(i);
        int at = optionAt(letters);
        return at == letters.length() - 1 && REQUIRED_ARG.indexOf(letters.charAt(at)) >= 0 && i + 1 == size();
    }

    /** {@code text} written so that make reads it back as one word (make's {@code quote_for_env}). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    // Hand-written checks instead of java.util.regex: docs/FACTS.md, "Code on the start-up path".

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

    private void tokenize(String value) {
        int i = 0;
        while (i < value.length() && isSpace(value.charAt(i))) {
            i++;
        }
        StringBuilder text = null;
        StringBuilder raw = null;
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t') {
                if (text != null) {
                    add(text, raw);
                    text = null;
                }
                continue;
            }
            if (text == null) {
                text = new StringBuilder();
                raw = new StringBuilder();
            }
            if (c == '\\' && i + 1 < value.length()) {
                text.append(value.charAt(++i));
                raw.append(c).append(value.charAt(i));
            } else if (c == '\\') {
                text.append(c);
                raw.append("\\\\"); // a lone backslash at the very end: literal there, not elsewhere
            } else {
                text.append(c);
                raw.append(c);
            }
        }
        if (text != null) {
            add(text, raw);
        }
    }

    private void add(StringBuilder text, StringBuilder raw) {
        texts.add(text.toString());
        raws.add(raw.toString());
    }

    /** C's {@code isspace} in the C locale: what make skips before the first word. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    private void classify() {
        kinds = new int[texts.size()];
        boolean options = true;
        for (int i = 0; i < kinds.length; i++) {
            String text = texts.get(i);
            if (kinds[i] == ARGUMENT) {
                continue;
            } else if (!options) {
                kinds[i] = VARIABLE;
            } else if (text.equals("--")) {
                kinds[i] = END_OF_FLAGS;
                options = false;
            } else if (text.startsWith("--")) {
                kinds[i] = LONG_OPTION;
                markCount(i + 1, text.equals("--jobs"));
            } else if (text.startsWith("-") && text.length() > 1
                    || i == 0 && !text.startsWith("-") && text.indexOf('=') < 0) {
                kinds[i] = CLUSTER;
                markArgument(i);
            } else {
                kinds[i] = OTHER;
            }
        }
    }

    /** Marks the word after cluster {@code i} when the cluster's last option takes it as its argument. */
    private void markArgument(int i) {
        String letters = letters(i);
        int at = optionAt(letters);
        if (at != letters.length() - 1) {
            return; // no option with an argument, or its argument is in this word
        }
        char option = letters.charAt(at);
        if (REQUIRED_ARG.indexOf(option) >= 0) {
            if (i + 1 < kinds.length) {
                kinds[i + 1] = ARGUMENT;
            }
        } else {
            markCount(i + 1, option == 'j');
        }
    }

    /** {@code -j} or {@code --jobs} without a count takes the next word when it is all digits. */
    private void markCount(int next, boolean jobs) {
        if (jobs && next < kinds.length && isDigits(texts.get(next), 9)) {
            kinds[next] = ARGUMENT;
        }
    }
}
