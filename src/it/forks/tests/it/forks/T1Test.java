package it.forks;

import org.junit.jupiter.api.Test;

class T1Test {
    @Test
    void work() throws Exception {
        Work.run("T1");
    }
}
