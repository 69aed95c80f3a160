def peak = evaluate(new File(itLib, "peak.groovy")) // the most work items at once, by a work log
def text = { String name -> new File(basedir, name).text }
def ends = { String name -> new File(basedir, name).readLines().count { it.startsWith("end ") } }
def ran = { String name -> new File(basedir, name + ".make.log").exists() }
def noLostTokens = { String log -> assert !log.contains("INTERNAL: Exiting with") : "make counted lost tokens:\n" + log }
def forksLines = { String log -> (log =~ /(?m)^\[INFO\] jobserver: surefire:test of (f\d) forks up to (\d+) JVMs?(.*), holding (\d+) slots?$/).collect { it } }
def results = new File(basedir, "results.txt")
results.text = ""

// 4 modules x forkCount=2 under make -j4: every test class ran, never more than 4 test JVMs at once, each
// execution said what it holds (forks = slots), every token back
def forks = text("forks.make.log")
assert forks.contains("BUILD SUCCESS") : forks
noLostTokens(forks)
assert ends("forks.work.log") == 16
def lines = forksLines(forks)
assert lines.size() >= 1 : "no execution forked more than one JVM:\n" + forks
lines.each { assert it[2] == it[4] && (it[2] as int) <= 2 : it[0] } // forks = slots held, at most forkCount
assert peak(new File(basedir, "forks.work.log")) <= 4 : text("forks.work.log")
results << "forks (extension): peak " + peak(new File(basedir, "forks.work.log")) + " test JVMs of 4 allowed; " +
        lines.collect { it[1] + ":" + it[2] }.join(" ") + "\n"

// what a build does today: -T 4 and no part in the jobserver (measured and recorded, not limited)
def off = text("off.make.log")
assert off.contains("BUILD SUCCESS") : off
assert forksLines(off).isEmpty() : off
results << "forks (-T 4, jobserver.mode=off): peak " + peak(new File(basedir, "off.work.log")) + " test JVMs\n"

// no make, -Djobserver.jobs=4 -T 4: the build is its own jobserver of 4; never more than 4 test JVMs (8 without
// it: "off" above), every test class ran, and nothing is left in its TMPDIR
def ownLog = text("own.mvn.log")
assert ownLog.contains("BUILD SUCCESS") : ownLog
assert ownLog =~ /\[INFO\] jobserver: own jobserver -j4 \(fifo [^)]*\), dynamic, up to 4 at once/ : ownLog
assert ends("own.work.log") == 16
assert peak(new File(basedir, "own.work.log")) <= 4 : text("own.work.log")
assert text("own.left") == "[]" : "left in TMPDIR: " + text("own.left")
results << "own (no make, -Djobserver.jobs=4 -T 4): peak " + peak(new File(basedir, "own.work.log")) + " test JVMs of 4\n"

// a test class fails in every module: the build fails, every slot comes back (make's exit check)
def failing = text("failing.make.log")
assert failing.contains("BUILD FAILURE") : failing
assert failing.contains("failed on purpose") : failing
noLostTokens(failing)
assert peak(new File(basedir, "failing.work.log")) <= 4

if (ran("claim")) {
    // claim mode: the forks share the claimed slots with the modules
    def claim = text("claim.make.log")
    assert claim.contains("BUILD SUCCESS") : claim
    assert claim.contains("claim, 3 tokens claimed, 4 threads") : claim
    noLostTokens(claim)
    assert ends("claim.work.log") == 16
    assert peak(new File(basedir, "claim.work.log")) <= 4 : text("claim.work.log")
    results << "claim: peak " + peak(new File(basedir, "claim.work.log")) + "\n"
    // one module alone: its forks take the free slots, up to make's limit
    def cores = Math.min(4, Runtime.runtime.availableProcessors())
    [
        "alone": [4, "forks up to 4 JVMs, holding 4 slots"],
        "above": [4, "forks up to 4 JVMs (forkCount 8 is above the limit of 4), holding 4 slots"],
        "cores": [cores, cores > 1 ? "forks up to " + cores + " JVMs" : null],
        "one": [1, null],
    ].each { name, expected ->
        def (top, line) = expected
        def log = text(name + ".make.log")
        assert log.contains("BUILD SUCCESS") : log
        noLostTokens(log)
        assert ends(name + ".work.log") == 4
        if (line != null) {
            assert log.contains("[INFO] jobserver: surefire:test of f1 " + line) : log
        } else {
            assert forksLines(log).isEmpty() : log
        }
        assert peak(new File(basedir, name + ".work.log")) == top : name + ": " + text(name + ".work.log")
        results << name + ": peak " + top + "\n"
    }
}
if (ran("concurrent")) {
    def concurrent = text("concurrent.make.log")
    assert concurrent.contains("BUILD SUCCESS") : concurrent
    noLostTokens(concurrent)
    assert ends("concurrent.work.log") == 16
    assert peak(new File(basedir, "concurrent.work.log")) <= 4 : text("concurrent.work.log")
    results << "concurrent: peak " + peak(new File(basedir, "concurrent.work.log")) + "\n"
}
if (new File(basedir, "sigterm.serve.log").exists()) {
    def sigterm = text("sigterm.serve.log")
    assert sigterm.contains("[INFO] jobserver: surefire:test of f1 forks up to 4 JVMs, holding 4 slots") : sigterm
    assert sigterm =~ /(?m)jobserver: all 3 tokens returned; command exited 143$/ : sigterm
    results << "sigterm mid-forks: all 3 tokens returned\n"
}
text("results.txt").eachLine { println it }
return true
