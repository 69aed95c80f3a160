package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MakeFlagsWordsTest {

    @Test
    void wordsUnescapeBackslashes() {
        assertEquals(Arrays.asList("ks", "-j4", "--", "FOO=x y", "B=\\"), texts("ks -j4 -- FOO=x\\ y B=\\\\"));
    }

    @Test
    void rawWordsKeepTheEscapesAsWritten() {
        assertEquals(Arrays.asList("ks", "-I/a\\ b", "F\\x"), raws(" ks  -I/a\\ b\tF\\x"));
    }

    /** make's ISBLANK: a space or a tab; every other white space is part of a word. */
    @Test
    void onlyASpaceOrATabSeparatesWords() {
        assertEquals(
                Arrays.asList("a", "b", "c\nd\u000be\ff\rg\u001ch\u2003i"),
                texts("a b\tc\nd\u000be\ff\rg\u001ch\u2003i"));
    }

    /** make's NEXT_TOKEN before the first word: C's isspace in the C locale. */
    @Test
    void whiteSpaceAtTheStartIsSkipped() {
        assertEquals(Arrays.asList("k", "-j2"), texts(" \t\n\u000b\f\rk -j2"));
        assertEquals(MakeFlagsWords.CLUSTER, MakeFlagsWords.split("\n\rkn").kind(0));
        assertEquals(Arrays.asList("\u001ck"), texts("\u001ck"));
    }

    @Test
    void aLoneBackslashAtTheEndIsLiteralAndWrittenBackEscaped() {
        MakeFlagsWords words = MakeFlagsWords.split(" -Idir\\");
        assertEquals("-Idir\\", words.text(0));
        assertEquals("-Idir\\\\", words.raw(0));
    }

    @Test
    void escapeQuotesBlanksAndBackslashesAsMakeDoes() {
        assertEquals("fifo:/tmp/a\\ b\\\tc\\\\d\ne", MakeFlagsWords.escape("fifo:/tmp/a b\tc\\d\ne"));
        String awkward = "x y\t\\z\n";
        assertEquals(Arrays.asList(awkward), texts(MakeFlagsWords.escape(awkward)));
    }

    /** Each word of the value, then what it is: C cluster, L long option, A argument, O other, E --, V variable. */
    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "ks -j4 --jobserver-auth=3,4 -- FOO=x\\ y B=1|C C L E V V",
                " -j4 --jobserver-auth=3,4|C L",
                "-kn --dry-run|C L",
                "FOO=1 -k|O C",
                "n=1 k|O O",
                "-C dir -k|C A C",
                "-Cdir -k|C C",
                "-C --|C A",
                "-C -- -n|C A C",
                "-j 5 -l 2|C A C O",
                "-kj 12 x|C A O",
                "-j x|C O",
                "-j 1234567890|C O",
                "--jobs 3 --jobs=4 5|L A L O",
                "-Otarget n|C O",
                "-O n|C O",
                "- -- -k|O E V",
                "-I|C"
            })
    void kindsFollowGetopt(String value, String expected) {
        MakeFlagsWords words = MakeFlagsWords.split(value);
        StringBuilder kinds = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            kinds.append(i == 0 ? "" : " ").append(" CLAOEV".charAt(words.kind(i)));
        }
        assertEquals(expected, kinds.toString());
    }

    @Test
    void optionAtFindsTheFirstLetterWithAnArgument() {
        assertEquals(2, MakeFlagsWords.optionAt("knj4"));
        assertEquals(1, MakeFlagsWords.optionAt("kOnone"));
        assertEquals(3, MakeFlagsWords.optionAt("rsk"));
        assertEquals(0, MakeFlagsWords.optionAt("Cn"));
    }

    @Test
    void aRequiredArgumentIsMissingOnlyAtTheVeryEnd() {
        MakeFlagsWords words = MakeFlagsWords.split("-kC dir -Ifoo -C");
        assertEquals(false, words.argumentMissing(0));
        assertEquals(false, words.argumentMissing(2));
        assertEquals(true, words.argumentMissing(3));
    }

    private static List<String> texts(String value) {
        MakeFlagsWords words = MakeFlagsWords.split(value);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            out.add(words.text(i));
        }
        return out;
    }

    private static List<String> raws(String value) {
        MakeFlagsWords words = MakeFlagsWords.split(value);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            out.add(words.raw(i));
        }
        return out;
    }
}
