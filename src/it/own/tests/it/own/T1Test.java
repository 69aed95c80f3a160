package it.own;

import org.junit.jupiter.api.Test;

class T1Test {
    @Test
    void work() throws Exception {
        Work.run("T1");
    }
}
