package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoJobserverTest {

    /** The warning for what a real lookup finds: make's remedy only where a '+' on the rule would help. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // make 4.4's pipe style hides its pipe from a plain rule with -2,-2: '+' helps
                "-j4 --jobserver-auth=3,4 --jobserver-auth=-2,-2 | DISABLED | jobserver unavailable: using -j1. Add '+' to the parent make rule. (--jobserver-auth=-2,-2: make disabled the jobserver for this command (negative fds))",
                // make 4.3's fds, closed for a plain rule: '+' helps
                "-j4 --jobserver-auth=1000,1001 | CLOSED_FD | jobserver unavailable: using -j1. Add '+' to the parent make rule. (fd 1000 is not open)",
                // a FIFO is named to every rule, '+' or not: the advice would be wrong
                "-j4 --jobserver-auth=fifo:/nonexistent/GMfifo1 | MISSING_FIFO | jobserver unavailable: using -j1. (FIFO /nonexistent/GMfifo1 does not exist)",
            })
    void warningGivesThePlusAdviceOnlyForDescriptors(String makeflags, NoJobserver.Reason reason, String warning) {
        NoJobserver why = Jobserver.fromFlags(MakeFlags.parse(makeflags)).absence();
        assertEquals(reason, why.reason(), why.toString());
        assertEquals(warning, why.warning());
    }

    @Test
    void aRegularFileAtTheFifoPathIsNotCuredByPlus(@TempDir Path dir) throws IOException {
        Path file = Files.createFile(dir.resolve("GMfifo2"));
        NoJobserver why = Jobserver.fromFlags(MakeFlags.parse("-j4 --jobserver-auth=fifo:" + file))
                .absence();
        assertEquals(NoJobserver.Reason.NOT_A_FIFO, why.reason(), why.toString());
        assertEquals(false, why.warning().contains("Add '+'"), why.warning());
    }

    @Test
    void aPipeGivenToAnotherProcessSaysWhatIsTrueWithoutThePlusAdvice() {
        NoJobserver why = NoJobserver.notInherited(JobserverAuth.pipe(3, 4), "the mvnd client", "use make 4.4's FIFO");
        assertEquals(NoJobserver.Category.BROKEN, why.category());
        assertEquals(
                "jobserver unavailable: using -j1. (make's pipe (fds 3,4) was given to the mvnd client, not to this"
                        + " process; use make 4.4's FIFO)",
                why.warning());
    }
}
