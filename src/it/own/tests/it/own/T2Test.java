package it.own;

import org.junit.jupiter.api.Test;

class T2Test {
    @Test
    void work() throws Exception {
        Work.run("T2");
    }
}
