package io.github.jobserver.plugin;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as a POSIX shell does, without any expansion: blanks separate
 * words; {@code '...'} is literal; inside {@code "..."} a backslash escapes only {@code $ ` " \} and a
 * newline; outside quotes a backslash escapes any character. No globbing, variables or substitution.
 */
final class ShellWords {
    private ShellWords() {}

    /** The words; an unterminated quote or a trailing backslash is an IllegalArgumentException. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated ' in: " + line);
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("trailing \\ in: " + line);
                }
                char next = line.charAt(++i);
                if (next != '\n') { // backslash-newline is a line continuation
                    word.append(next);
                    inWord = true;
                }
            } else if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends a double-quoted part starting after its opening quote; returns the closing quote's index. */
    private static int doubleQuoted(String line, int from, StringBuilder word) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < line.length() && "$`\"\\\n".indexOf(line.charAt(i + 1)) >= 0) {
                char next = line.charAt(++i);
                if (next != '\n') {
                    word.append(next);
                }
            } else {
                word.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated \" in: " + line);
    }
}
