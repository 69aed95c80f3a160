package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The jar's command-line tool, run as users run it: a wrong argument is one line and the usage, never a trace. */
class JobserverToolTest {

    /** The tool in a child JVM outside make, with {@code args} split at spaces. */
    private static Processes.Result tool(String args) throws Exception {
        ProcessBuilder b = Processes.tool(args.split(" "));
        b.environment().remove("MAKEFLAGS");
        Processes.Result r = Processes.run(b);
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "serve abc true | jobserver: J must be a whole number of at least 1, not 'abc'",
                "serve 0 true | jobserver: J must be a whole number of at least 1, not '0'",
                "serve 3 | jobserver: serve needs J and a COMMAND",
                "serve --fifo 99999999999 true | jobserver: J must be a whole number of at least 1, not '99999999999'",
                "claim soon | jobserver: MILLIS must be a whole number of at least 0, not 'soon'",
                "claim --log /dev/null 1 2 | jobserver: claim takes one MILLIS, not [1, 2]",
                "frobnicate | jobserver: unknown command frobnicate"
            })
    void aWrongArgumentIsOneLineAndTheUsage(String args, String expected) throws Exception {
        Processes.Result r = tool(args);
        assertEquals(2, r.exit, r.toString());
        String[] lines = r.output.trim().split("\n");
        assertEquals(2, lines.length, r.toString());
        assertEquals(expected, lines[0]);
        assertTrue(lines[1].startsWith("usage: java -jar jobserver-extension.jar"), lines[1]);
        assertFalse(r.output.contains("Exception"), r.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"probe", "serve 2 true"})
    void rightArgumentsRun(String args) throws Exception {
        Processes.Result r = tool(args);
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.output.startsWith("jobserver["), r.toString());
    }
}
