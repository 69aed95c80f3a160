package io.github.jobserver.maven;

import static io.github.jobserver.maven.Mojos.execution;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SurefireForksTest {
    private final SurefireForks surefire = new SurefireForks();

    /** forkCount as surefire reads it: a number, or N times the processors ("1.5C"), rounded down. */
    @ParameterizedTest
    @CsvSource({
        "2, 8, 2",
        "' 3 ', 8, 3",
        "1C, 8, 8",
        "1.5C, 4, 6",
        "0.5C, 3, 1",
        "0, 8, 0",
        "1, 8, 1",
        "-1, 8, 0",
        "many, 8, 0",
        "C, 8, 0",
    })
    void parsesForkCountAsSurefireDoes(String value, int processors, int forks) {
        assertEquals(forks, SurefireForks.parse(value, processors));
    }

    /** Surefire's and failsafe's test goals, by the plugin's coordinates; nothing else. */
    @ParameterizedTest
    @CsvSource({
        "org.apache.maven.plugins, maven-surefire-plugin, test, true",
        "org.apache.maven.plugins, maven-failsafe-plugin, integration-test, true",
        "org.apache.maven.plugins, maven-compiler-plugin, compile, false",
        "org.example, maven-surefire-plugin, test, false",
    })
    void matchesSurefireAndFailsafe(String group, String artifact, String goal, boolean matches) {
        assertEquals(matches, surefire.matches(execution(group, artifact, goal)));
    }

    @Test
    void requestedIsTheForkCountInTheMojosSuperclass() {
        assertEquals(4, surefire.requested(new Mojos.Surefire("4")));
        assertEquals(0, surefire.requested(new Mojos.Surefire(null)), "no value: surefire's default, left alone");
        assertEquals(0, surefire.requested(new Mojos.Surefire("many")), "surefire refuses it itself");
    }

    @Test
    void skippedTestsForkNothing() {
        assertEquals(0, surefire.requested(new Mojos.Surefire("4", true)));
    }

    @Test
    void aMojoWithoutAStringForkCountIsLeftAlone() {
        assertEquals(0, surefire.requested(new Mojos.OldSurefire()));
        assertEquals(0, surefire.requested(new Mojos.NumberForkCount()));
        assertFalse(surefire.lower(new Mojos.OldSurefire(), 2));
        assertFalse(surefire.lower(new Mojos.NumberForkCount(), 2));
    }

    @Test
    void lowerSetsTheForkCountSurefireRunsWith() {
        Mojos.Surefire mojo = new Mojos.Surefire("1C");
        assertTrue(surefire.lower(mojo, 3));
        assertEquals("3", mojo.forkCount());
        assertEquals(3, surefire.requested(mojo));
    }

    @Test
    void lowerSaysWhenTheMojoRefuses() {
        Mojos.FixedForkCount mojo = new Mojos.FixedForkCount();
        assertEquals(4, surefire.requested(mojo));
        assertFalse(surefire.lower(mojo, 2));
        assertEquals("4", mojo.forkCount());
    }
}
