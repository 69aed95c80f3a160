package it.forks;

import org.junit.jupiter.api.Test;

class T2Test {
    @Test
    void work() throws Exception {
        Work.run("T2");
    }
}
