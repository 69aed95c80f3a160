package it.forks;

import org.junit.jupiter.api.Test;

class T3Test {
    @Test
    void work() throws Exception {
        Work.run("T3");
    }
}
