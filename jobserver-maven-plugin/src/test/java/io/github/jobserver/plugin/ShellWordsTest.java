package io.github.jobserver.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellWordsTest {

    /** What /bin/sh itself makes of the line: each word on its own line, NUL-free. */
    private static List<String> shell(String line) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", "for w in " + line + "; do printf '%s\\0' \"$w\"; done")
                .redirectErrorStream(true)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        }
        assertEquals(0, p.waitFor(), "sh rejected " + line);
        List<String> words = new ArrayList<>();
        String all = new String(out.toByteArray(), StandardCharsets.UTF_8);
        for (String w : all.split("\0", -1)) {
            words.add(w);
        }
        words.remove(words.size() - 1); // after the last NUL
        return words;
    }

    /** The splitter agrees with the real /bin/sh on every line here (no expansion characters used). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "make -C native all",
                "  make   -j  ",
                "make 'CFLAGS=-O2 -g' all",
                "make \"CFLAGS=-O2 -g\" all",
                "echo a\\ b c",
                "echo 'it'\\''s'",
                "echo \"say \\\"hi\\\"\" x",
                "echo \"back\\\\slash\" \"keep\\n\"",
                "echo ''",
                "echo \"\" x",
                "echo a\"b c\"d'e f'g",
                "cargo build --offline --manifest-path=crate/Cargo.toml",
            })
    void splitsAsTheShellDoes(String line) throws Exception {
        assertEquals(shell(line), ShellWords.split(line), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"make 'unterminated", "make \"unterminated", "make trailing\\"})
    void rejectsWhatTheShellRejects(String line) {
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split(line));
    }

    @org.junit.jupiter.api.Test
    void noExpansion() {
        assertEquals(Arrays.asList("echo", "$HOME", "*", "`x`"), ShellWords.split("echo $HOME * `x`"));
    }
}
