package it.forks;

import org.junit.jupiter.api.Test;

class T4Test {
    @Test
    void work() throws Exception {
        Work.run("T4");
    }
}
