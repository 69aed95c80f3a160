static int peak(File log) {
    int running = 0, peak = 0
    log.eachLine { line ->
        running += line.startsWith("start ") ? 1 : line.startsWith("end ") ? -1 : 0
        peak = Math.max(peak, running)
    }
    assert running == 0 : "unbalanced " + log.text
    return peak
}
def text = { String name -> new File(basedir, name).text }
def exit = { String name -> text(name + ".exit").split(" ")[0] as int }
def ends = { String name -> new File(basedir, name).readLines().count { it.startsWith("end ") } }
/** first start to last end, in ms, from the recipes' own timestamps */
def span = { String name ->
    def stamps = new File(basedir, name).readLines().collect { it.split(" ")[2] as long }
    (stamps.max() - stamps.min()) / 1_000_000
}
def results = new File(basedir, "results.txt")
results.text = ""

// a new jobserver of 3 slots: 8 one-second recipes, 3 at a time, every token back
def jobs3 = text("jobs3.log")
assert exit("jobs3") == 0 : jobs3
assert jobs3 =~ /\[INFO\] jobserver: running \[make, -f, recipes\.mk, LOG=[^\]]+\] on a new jobserver of 3 slots/ : jobs3
assert jobs3.contains("[INFO] jobserver: all 2 tokens returned") : jobs3
assert ends("jobs3.work.log") == 8
assert peak(new File(basedir, "jobs3.work.log")) == 3
results << "jobs3: peak 3, recipes span " + span("jobs3.work.log") + " ms, mvn wall " + text("jobs3.exit").split(" ")[1]

// outer make -j3 with three jobs of its own plus Maven's serve: never above 3, no lost tokens
def outer = text("outer.log")
assert exit("outer") == 0 : outer
assert outer.contains("on Maven's jobserver (pipe") : outer
assert !outer.contains("INTERNAL: Exiting with") : outer
assert ends("outer.work.log") == 11
assert peak(new File(basedir, "outer.work.log")) == 3
results << "outer: peak 3 of 11 jobs, span " + span("outer.work.log") + " ms\n"

// the child kept two of make's tokens: serve counts the shortfall in make's words and gives them back,
// so make's own exit check stays quiet
def shortfall = text("shortfall.log")
assert exit("shortfall") == 0 : shortfall
assert shortfall.contains("[INFO] greedy kept 2 tokens") : shortfall
assert shortfall.contains("[WARNING] jobserver: [make, -f, recipes.mk, greedy] exiting with 0 jobserver tokens "
        + "available; should be 2! (its processes kept 2; they went back to pipe ") : shortfall
assert shortfall =~ /they went back to pipe \d+,\d+\)/ : shortfall
assert !shortfall.contains("INTERNAL: Exiting with") : shortfall

// a FIFO parent and a make-4.3 child: the child gets descriptors, the parent counts every token back
def fifo = text("fifo.log")
assert exit("fifo") == 0 : fifo
assert fifo =~ /on Maven's jobserver \(fifo [^)]+\)/ : fifo
assert fifo.contains("jobserver: all 2 tokens returned; command exited 0") : fifo
assert ends("fifo.work.log") == 8
assert peak(new File(basedir, "fifo.work.log")) == 3

// cargo reads the FIFO (jobserver-rs) and stays within 3 slots; with a jobserver it does not cap itself at
// its default -j (the number of processors: 2 here, where it peaks at 2 without one), so 3 is the jobserver's
if (new File(basedir, "cargo.exit").exists()) {
    def cargo = text("cargo.log")
    assert exit("cargo") == 0 : cargo
    assert cargo =~ /jobserver: running \[cargo, build, [^\]]+\] on a new jobserver of 3 slots \([^)]+\), passed as fifo:/ : cargo
    assert cargo.contains("[INFO] jobserver: all 2 tokens returned") : cargo
    assert ends("cargo.work.log") == 18 : text("cargo.work.log") // 6 build scripts, their 6 compiles, 6 libraries
    assert peak(new File(basedir, "cargo.work.log")) == 3 : text("cargo.work.log")
    results << "cargo: peak 3 of 18 jobs, span " + span("cargo.work.log") + " ms, mvn wall " + text("cargo.exit").split(" ")[1]
} else {
    results << "cargo: not found on PATH or in ~/.cargo/bin, case skipped\n"
}

// the worked example under make -j4: Maven, its native make and make's own two jobs share 4 slots
def example = text("example.log")
assert exit("example") == 0 : example
assert example.contains("jobserver: running [make, -C, native, all] on Maven's jobserver (pipe") : example
assert example =~ /native: built 8 parts, at most [1-4] at once/ : example
assert example.contains("tree: 10 jobs, at most 4 at once (make -j4 allows 4)") : example

// the POM form: list of words, used as they are
def pom = text("pom.log")
assert exit("pom") == 0 : pom
assert pom.contains("GREETING=hello world]") : pom
assert peak(new File(basedir, "pom.work.log")) == 3

// failures: one clear line each, the goal fails
def failing = text("failing.log")
assert exit("failing") != 0
assert failing.contains("[INFO] failing now") : failing
assert failing.contains("jobserver: [sh, -c, echo failing now; exit 3] exited 3") : failing
def missing = text("missing.log")
assert exit("missing") != 0
assert missing.contains("jobserver: cannot run [no-such-command-4711, all]: 'no-such-command-4711' is not an executable file on PATH") : missing
def timeout = text("timeout.log")
assert exit("timeout") != 0
assert timeout.contains("timed out after 2 s and was stopped, with everything it started") : timeout
/** The recipe's process of that number has ended (or is a zombie waiting for its parent). */
def gone = { String pid ->
    def stat = new File("/proc/" + pid + "/stat")
    def state = stat.exists() ? stat.text.replaceFirst(/^.*\) /, "").substring(0, 1) : "gone"
    assert state in ["gone", "Z", "X"] : "the recipe's sleep " + pid + " outlived its stop (state " + state + ")"
}
gone(text("long.pid").trim())

// Ctrl-C (and, with itFaults, SIGTERM) to Maven while the child runs: the child's tree is stopped, every
// token is back, no process and no FIFO is left
def faults = new File(basedir, "maven-kill.exit").exists()
(["ctrlc": 130] + (faults ? ["maven-term": 143] : [:])).each { name, code ->
    def log = text(name + ".log")
    assert log.contains("jobserver: all 2 tokens returned; command exited " + code) : log
    assert exit(name) == code : log
    gone(text(name + ".pid").trim())
    assert text(name + ".left") == "left []; TMPDIR holds 0\n" : name + ": " + text(name + ".left")
}
// SIGKILL is the one fault nothing in the JVM can answer: the token Maven took for its child is lost (said
// in make's words), the child runs on (recorded, then stopped by the test), and the relay's private
// directory stays in TMPDIR
if (faults) {
    def kill = text("maven-kill.log")
    assert kill.contains("jobserver: exiting with 1 jobserver tokens available; should be 2!; command exited 137") : kill
    // make, the recipe's shell (dash, bash: whatever /bin/sh is) and its sleep
    def left = text("maven-kill.left")
    def names = (left =~ /^left \[(.*)\]; TMPDIR holds 1$/)[0][1].split(", ") as List
    assert names.size() == 3 && names.containsAll(["make", "sleep"]) : left
}

// A signal to serve's child (itFaults): the goal fails with the child's exit, the jobs are gone, the
// server counts both tokens back (what the killed make held comes back through the relay), nothing is left
if (faults) {
    // make's exit after SIGINT: re-raised (130), or 2 ("wait: No child processes. Stop.") when its jobs,
    // signalled too, were gone before its handler looked for them
    ["int": ["130", "2"], "term": ["143"], "kill": ["137"]].each { signal, codes ->
        def name = "child-" + signal
        def log = text(name + ".log")
        def code = (log =~ /jobserver: \[make, -f, recipes.mk, hold, PIDS=[^\]]*\] exited (\d+)/)
        assert code.find() && code.group(1) in codes : log
        assert log.contains("jobserver: all 2 tokens returned; command exited 1") : log
        assert exit(name) == 1 : log
        text(name + ".pids").readLines().each { gone(it.trim()) }
        assert text(name + ".left") == "TMPDIR holds []\n" : name + ": " + text(name + ".left")
    }
    // make killed outright could not stop its jobs: serve stops them, or it would wait on their output
    assert text("child-kill.log") =~ /was killed \(exit 137\) and left 3 processes running \(\d+ sleep, \d+ sleep, \d+ sleep\); stopping them/ : text("child-kill.log")
}
new File(basedir, "results.txt").text.eachLine { println it }
return true
