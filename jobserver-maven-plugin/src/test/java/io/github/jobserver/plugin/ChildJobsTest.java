package io.github.jobserver.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A child's own job count, found and dropped: every form each program takes, and what is left alone. */
class ChildJobsTest {
    /** {command, the command without its count, what was dropped (joined by " | ")}. */
    private static final String[][] TABLE = {
        // GNU make: -jN, -j N, a bare -j, --jobs=N, --jobs N, --jobs
        {"make -j4 -f native.mk", "make -f native.mk", "-j4"},
        {"make -j 4 all", "make all", "-j 4"},
        {"make -j all", "make all", "-j"},
        {"make -j", "make", "-j"},
        {"make --jobs=8 all", "make all", "--jobs=8"},
        {"make --jobs 8 all", "make all", "--jobs 8"},
        {"make --jobs all", "make all", "--jobs"},
        {"gmake -j4", "gmake", "-j4"},
        {"/usr/bin/make -j4", "/usr/bin/make", "-j4"},
        // a number after a bare -j is its count; a word that is no number is a target
        {"make -j 12", "make", "-j 12"},
        {"make -j 4x", "make 4x", "-j"},
        // clusters: the other options are kept
        {"make -kj4 all", "make -k all", "-kj4 (kept -k)"},
        {"make -skj 3", "make -sk", "-skj 3 (kept -sk)"},
        {"make -sj", "make -s", "-sj (kept -s)"},
        // make reads options after targets too, and every one of them
        {"make all -j4 V=1 -k --jobs=2", "make all V=1 -k", "-j4 | --jobs=2"},
        // one job runs serially on the child's one slot, inside the limit: kept
        {"make -j1 all", "make -j1 all", ""},
        {"make -j 1", "make -j 1", ""},
        {"make --jobs=1", "make --jobs=1", ""},
        {"make -kj1", "make -kj1", ""},
        // what is not an option: after --, VAR=value, an option's argument
        {"make -- -j4", "make -- -j4", ""},
        {"make all -- -j4", "make all -- -j4", ""},
        {"make FLAGS=-j4 all", "make FLAGS=-j4 all", ""},
        {"make -C -j4 all", "make -C -j4 all", ""},
        {"make -f -j4", "make -f -j4", ""},
        {"make -Cdir -j4", "make -Cdir", "-j4"},
        {"make --directory -j4", "make --directory -j4", ""},
        {"make --directory=d -j4", "make --directory=d", "-j4"},
        {"make --eval -j4 -j4", "make --eval -j4", "-j4"},
        {"make -kCj4", "make -kCj4", ""}, // -C's argument is the directory j4
        {"make -l 4 -j4", "make -l 4", "-j4"},
        {"make -Oline -j4", "make -Oline", "-j4"},
        {"make --jobserver-auth=3,4 -j4", "make --jobserver-auth=3,4", "-j4"},
        {"make --jobsx=4", "make --jobsx=4", ""},
        // ninja: -jN, -j N; its count is required, so the next word is it whatever it is
        {"ninja -j4 -C build", "ninja -C build", "-j4"},
        {"ninja -j 4 all", "ninja all", "-j 4"},
        {"ninja -j0", "ninja", "-j0"},
        {"ninja -vj4", "ninja -v", "-vj4 (kept -v)"},
        {"ninja -C -j4 -j2", "ninja -C -j4", "-j2"},
        {"ninja -j1", "ninja -j1", ""},
        {"ninja --jobs=4", "ninja --jobs=4", ""}, // not a ninja option: ninja says so itself
        {"ninja -t clean -j4", "ninja -t clean -j4", ""}, // the words after -t TOOL are the tool's
        {"ninja -- -j4", "ninja -- -j4", ""},
        // cargo: -jN, -j N, --jobs N, --jobs=N (and clap's -j=N)
        {"cargo build -j4", "cargo build", "-j4"},
        {"cargo build -j 4 --release", "cargo build --release", "-j 4"},
        {"cargo build --jobs 4", "cargo build", "--jobs 4"},
        {"cargo build --jobs=4", "cargo build", "--jobs=4"},
        {"cargo build -j=4", "cargo build", "-j=4"},
        {"cargo build -j -2", "cargo build", "-j -2"},
        {"cargo build -rj4", "cargo build -r", "-rj4 (kept -r)"},
        {"cargo build -p -j4", "cargo build -p -j4", ""},
        {"cargo build -j 1", "cargo build -j 1", ""},
        {"cargo run -- -j4", "cargo run -- -j4", ""},
        // other programs, a shell's script among them, are left alone
        {"sh -c 'make -j4'", "sh -c 'make -j4'", ""},
        {"./build.sh -j4", "./build.sh -j4", ""},
        {"makeself -j4", "makeself -j4", ""},
    };

    @Test
    void dropsEveryFormOfEachProgramsCount() {
        for (String[] row : TABLE) {
            List<String> words = ShellWords.split(row[0]);
            ChildJobs own = ChildJobs.find(words, ChildStyle.program(words.get(0)));
            assertEquals(ShellWords.split(row[1]), own.words, row[0]);
            assertEquals(row[2], String.join(" | ", own.dropped), row[0]);
        }
    }

    @Test
    void namesTheProgramByItsExecutable() {
        assertEquals(ChildStyle.Program.MAKE, ChildStyle.program("/usr/bin/gmake"));
        assertEquals(ChildStyle.Program.NINJA, ChildStyle.program("ninja"));
        assertEquals(ChildStyle.Program.CARGO, ChildStyle.program("/home/u/.cargo/bin/cargo"));
        assertEquals(ChildStyle.Program.OTHER, ChildStyle.program("/bin/sh"));
        assertEquals(ChildStyle.Program.OTHER, ChildStyle.program("cmake"));
    }
}
