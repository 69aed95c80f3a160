def peak = evaluate(new File(itLib, "peak.groovy")) // the most work items at once, by a work log
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

// the child's own -j4 under make -j3: dropped and said so, the child stays on make's jobserver, never above 3
def ownJobs = text("ownjobs.log")
assert exit("ownjobs") == 0 : ownJobs
assert ownJobs.contains("[INFO] jobserver: dropped -j4 from make's command: its jobs come from the jobserver") : ownJobs
assert ownJobs =~ /jobserver: running \[make, -f, recipes\.mk, LOG=[^\]]+\] on Maven's jobserver \(pipe/ : ownJobs
assert !ownJobs.contains("forced in submake") : ownJobs
assert !ownJobs.contains("INTERNAL: Exiting with") : ownJobs
assert ends("ownjobs.work.log") == 11
assert peak(new File(basedir, "ownjobs.work.log")) == 3
results << "ownjobs: child's -j4 dropped, peak 3 of 11 jobs under make -j3\n"

// the child kept two of make's tokens: serve counts the shortfall in make's words and gives them back,
// so make's own exit check stays quiet
def shortfall = text("shortfall.log")
assert exit("shortfall") == 0 : shortfall
assert shortfall.contains("[INFO] greedy kept 2 tokens") : shortfall
assert shortfall.contains("[WARNING] jobserver: [make, -f, recipes.mk, greedy] exiting with 0 jobserver tokens "
        + "available; should be 2! (its processes kept 2; they went back to pipe ") : shortfall
assert shortfall =~ /they went back to pipe \d+,\d+\)/ : shortfall
assert !shortfall.contains("INTERNAL: Exiting with") : shortfall

// given serve's own jobserver itself (no relay), the tokens the child kept are reported by that server's
// count when the last child ends, in make's words
def shortfallNew = text("shortfall-new.log")
assert exit("shortfall-new") == 0 : shortfallNew
assert shortfallNew.contains("[INFO] greedy kept 2 tokens") : shortfallNew
assert shortfallNew.contains("[WARNING] jobserver: exiting with 0 jobserver tokens available; should be 2!") : shortfallNew

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
// SIGKILL: no code of Maven's runs, but its guardian process stops the child's tree (make, the recipe's
// shell, its sleep) and gives back what Maven held: every token is back, no process is left. Given the
// jobserver itself, the child ran on Maven's implicit slot and nothing was borrowed; with the relay, the
// token it kept ready comes back too, and the relay's directory stays in TMPDIR (no code of Maven's ran to
// remove it; the next relay makes a new one)
if (faults) {
    ["maven-kill": 0, "maven-kill-relay": 1].each { name, stale ->
        def kill = text(name + ".log")
        assert kill.contains("jobserver: all 2 tokens returned; command exited 137") : kill
        assert kill =~ /jobserver: process \d+ ended while its child \d+ ran; the guardian stopped it \(processes \d+ \d+ \d+\)/ : kill
        if (stale > 0) {
            assert kill.contains(" gave back the 1 tokens it held when it ended") : kill
        }
        assert text(name + ".left") == "left []; TMPDIR holds " + stale + "\n" : name + ": " + text(name + ".left")
        results << name + ": every token back, the child's tree stopped by the guardian\n"
    }
}

// A signal to serve's child (itFaults): the goal fails with the child's exit, the jobs are gone, nothing is
// left. make gives its tokens back after SIGINT and SIGTERM; after SIGKILL the 2 it held are lost when it was
// given the jobserver itself (as under make: the server says so in make's words), and come back when it was
// given a relay (jobserver.relay=true)
if (faults) {
    // make's exit after SIGINT: re-raised (130), or 2 ("wait: No child processes. Stop.") when its jobs,
    // signalled too, were gone before its handler looked for them
    [
        "child-int": [["130", "2"], "all 2 tokens returned"],
        "child-term": [["143"], "all 2 tokens returned"],
        "child-kill": [["137"], "exiting with 0 jobserver tokens available; should be 2!"],
        "child-kill-relay": [["137"], "all 2 tokens returned"],
    ].each { name, expected ->
        def (codes, count) = expected
        def log = text(name + ".log")
        def code = (log =~ /jobserver: \[make, -f, recipes.mk, hold, PIDS=[^\]]*\] exited (\d+)/)
        assert code.find() && code.group(1) in codes : log
        assert log.contains("jobserver: " + count + "; command exited 1") : log
        assert exit(name) == 1 : log
        text(name + ".pids").readLines().each { gone(it.trim()) }
        assert text(name + ".left") == "TMPDIR holds []\n" : name + ": " + text(name + ".left")
        // make killed outright could not stop its jobs: serve stops them, or it would wait on their output
        if (name.startsWith("child-kill")) {
            assert log =~ /was killed \(exit 137\) and left 3 processes running \(\d+ sleep, \d+ sleep, \d+ sleep\); stopping them/ : log
        }
    }
}

// A claim-all child sees every free token of the jobserver it is given, as make's own child would: 4 of a
// new jobserver of 5, and 4 under make -j5 with and without the extension; a relay shows it one at a time
["claim-new": 4, "claim-relay": 1, "claim-make": 4, "claim-ext": 4].each { name, tokens ->
    def log = text(name + ".log")
    assert exit(name) == 0 : log
    assert log.contains("[INFO] claim-all: claimed " + tokens + " tokens, PARALLELISM=" + (tokens + 1)) : log
    assert !log.contains("INTERNAL: Exiting with") : log
    results << name + ": the claim-all child saw " + tokens + " tokens\n"
}
assert text("claim-new.log").contains("[INFO] jobserver: all 4 tokens returned") : text("claim-new.log")
assert text("claim-relay.log").contains(", relayed, passed as fds 3,3") : text("claim-relay.log")
assert text("claim-ext.log").contains("on the slot this module holds, passed as fds 3,3") : text("claim-ext.log")

// The peers of 2026, where peers.sh found them (peers.txt; .ci/run fails when it did not)
def peers = text("peers.txt")
if (!peers.contains("make44 none")) {
    // make 4.4.1 as serve's child: a FIFO client, 3 slots
    def child44 = text("make44-child.log")
    assert exit("make44-child") == 0 : child44
    assert child44 =~ /jobserver: running \[\S+\/make, -f, recipes\.mk, [^\]]+\] on a new jobserver of 3 slots \([^)]+\), passed as fifo:/ : child44
    assert child44.contains("[INFO] jobserver: all 2 tokens returned") : child44
    assert peak(new File(basedir, "make44-child.work.log")) == 3
    // make 4.4.1 -j3 as the outer make: its FIFO passed on to serve's make-4.3 child as descriptors
    def outer44 = text("make44-outer.log")
    assert exit("make44-outer") == 0 : outer44
    assert outer44 =~ /on Maven's jobserver \(fifo \/[^)]*GMfifo\d+\), passed as fds 3,3/ : outer44
    assert !outer44.contains("INTERNAL: Exiting with") : outer44
    assert ends("make44-outer.work.log") == 11
    assert peak(new File(basedir, "make44-outer.work.log")) == 3
    ["make44-claim", "make44-claim-ext"].each { name ->
        assert exit(name) == 0 : text(name + ".log")
        assert text(name + ".log").contains("[INFO] claim-all: claimed 4 tokens, PARALLELISM=5") : text(name + ".log")
        assert !text(name + ".log").contains("INTERNAL: Exiting with") : text(name + ".log")
    }
    results << "make 4.4.1: child peak 3, span " + span("make44-child.work.log") + " ms; outer -j3 peak 3 of 11; claim-all saw 4 under -j5\n"
}
if (!peers.contains("ninja113 none")) {
    // ninja 1.13.2 joins the jobserver by itself (it says so) and keeps to it: a new one of 3, and make
    // 4.3's pipe, which it cannot read as descriptors, given as fifo:/proc/PID/fd/R
    ["ninja-new": 8, "ninja-pipe": 11].each { name, items ->
        def log = text(name + ".log")
        assert exit(name) == 0 : log
        assert log.contains("ninja: Jobserver mode detected: ") : log
        assert log.contains("passed as fifo:") : log
        assert !log.contains("INTERNAL: Exiting with") : log
        assert ends(name + ".work.log") == items : text(name + ".work.log")
        assert peak(new File(basedir, name + ".work.log")) == 3 : text(name + ".work.log")
    }
    assert text("ninja-pipe.log") =~ /ninja: Jobserver mode detected: .*--jobserver-auth=fifo:\/proc\/\d+\/fd\/\d+/ : text("ninja-pipe.log")
    results << "ninja 1.13.2: peak 3 under a new jobserver of 3 (span " + span("ninja-new.work.log") + " ms) and under make -j3's pipe\n"
}
// the execution that runs its Mavens on JDK 25 (itJdk): they did, and no JVM warning reached a console
results << evaluate(new File(itLib, "jdk.groovy")).verify(basedir)
new File(basedir, "results.txt").text.eachLine { println it }
return true
