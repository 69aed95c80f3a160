package io.github.jobserver.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForksTest {

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
        assertEquals(forks, Forks.parse(value, processors));
    }
}
