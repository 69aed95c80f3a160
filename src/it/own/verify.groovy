// What setup.groovy's cells did, asserted; their figures in results.txt. See setup.groovy for the cells.
def peak = evaluate(new File(itLib, "peak.groovy")) // the most work items at once, by a work log
def file = { String name -> new File(basedir, name) }
def text = { String name -> file(name).text }
def ends = { String cell, String prefix = "" -> file(cell + ".work.log").readLines().count { it.startsWith("end " + prefix) } }
// CELL.facts: "exit N", "tmp NAME TYPE [...]" for each entry of its TMPDIR, and a signal cell's own lines
def facts = { String cell ->
    def lines = text(cell + ".facts").readLines()
    def value = { String key -> lines.find { it.startsWith(key + " ") }?.substring(key.length() + 1) }
    return [exit: value("exit") as int, tmp: lines.findAll { it.startsWith("tmp ") }.collect { it.substring(4) },
            processors: value("processors") as Integer, pid: value("pid"), ended: value("ended"), gone: value("gone"),
            names: value("descendants")?.replaceFirst(/^\d+ /, ""), // "6 [dash, dash, dash, java, java, java]"
            left: lines.findAll { it.startsWith("left ") }, holders: value("holders")]
}
// the build's own jobserver of J, in the cell's TMPDIR: Maven's INFO line
def ownLine = { String cell, String tmp, int jobs, String origin = "" ->
    "[INFO] jobserver: own jobserver -j" + jobs + " (" + origin + "fifo " + new File(basedir, tmp).absolutePath + "/jobserver-"
}
// the server's count when the build closed it (the participant's debug line): every token back
def whole = { String cell, int jobs ->
    def log = text(cell + ".mvn.log")
    assert log.contains("[DEBUG] jobserver: all " + (jobs - 1) + " tokens returned of own jobserver -j" + jobs) : cell + ":\n" + log
    assert !log.contains("jobserver tokens available; should be") : cell + ":\n" + log
}
def empty = { String cell, Map f -> assert f.tmp.isEmpty() : cell + ": left in its TMPDIR: " + f.tmp }
def results = file("results.txt")
results.text = ""

// auto (every Maven), from .mvn/maven.config: a jobserver of K = the processors a JVM sees here; module n's
// plain make of K+1 jobs under -T K+1 ran K at once (K+1 if serve had made its own jobserver of -T slots)
def auto = facts("auto")
int k = auto.processors
assert auto.exit == 0 : text("auto.mvn.log")
assert text("auto.mvn.log").contains(ownLine("auto", "auto.tmp", k, "auto: " + k + (k == 1 ? " processor, " : " processors, "))) : "no own jobserver -j" + k + ":\n" + text("auto.mvn.log")
assert ends("auto", "native") == k + 1 : text("auto.work.log")
assert peak(file("auto.work.log")) == k : "peak " + peak(file("auto.work.log")) + " of " + k + ":\n" + text("auto.work.log")
whole("auto", k)
empty("auto", auto)
results << "auto (.mvn/maven.config -Djobserver.jobs=auto, -T " + (k + 1) + "): own jobserver -j" + k + " (" + k +
        " processors); serve's make of " + (k + 1) + " jobs: peak " + peak(file("auto.work.log")) + "; TMPDIR empty\n"

if (file("serve.facts").exists()) {
    // serve's child joins the build's own jobserver of 3: its jobs and the three antrun modules together never
    // above 3 (they did overlap: 2 or more), every token back, nothing left
    def serve = facts("serve")
    def log = text("serve.mvn.log")
    assert serve.exit == 0 : log
    def own = ownLine("serve", "serve.tmp", 3)
    assert log.contains(own) : log
    def fifo = new File(basedir, "serve.tmp").absolutePath + "/jobserver-"
    assert log =~ /\[INFO\] jobserver: running \[make, [^\]]*\] on Maven's jobserver \(fifo \Q${fifo}\E[^)]*\), on the slot this module holds/ : log
    assert ends("serve", "native") == 6 && ends("serve", "w") == 3 : text("serve.work.log")
    int shared = peak(file("serve.work.log"))
    assert shared <= 3 && shared >= 2 : "peak " + shared + ":\n" + text("serve.work.log")
    whole("serve", 3)
    empty("serve", serve)
    // the same reactor without jobserver.jobs: serve's jobserver of -T 4 slots beside Maven's modules
    def off = facts("serve-off")
    assert off.exit == 0 && !text("serve-off.mvn.log").contains("own jobserver") : text("serve-off.mvn.log")
    int alone = peak(file("serve-off.work.log"))
    assert alone > 3 : "without the build's own jobserver the reactor stayed within 3:\n" + text("serve-off.work.log")
    empty("serve-off", off)
    results << "serve (-Djobserver.jobs=3 -T 4: serve's plain make of 6 jobs + 3 antrun modules of 4 s): peak " + shared +
            " of 3 over one log; without jobserver.jobs: peak " + alone + "\n"

    // a test class fails in t1 and t2: BUILD FAILURE, every token back, nothing left
    def failing = facts("failing")
    log = text("failing.mvn.log")
    assert failing.exit != 0 && log.contains("BUILD FAILURE") && log.contains("failed on purpose") : log
    assert log.contains(ownLine("failing", "failing.tmp", 3)) : log
    assert ends("failing") == 4 && peak(file("failing.work.log")) <= 3 : text("failing.work.log")
    whole("failing", 3)
    empty("failing", failing)
    results << "failing (a test class fails in t1 and t2): BUILD FAILURE, peak " + peak(file("failing.work.log")) +
            " of 3, all 2 tokens returned, TMPDIR empty\n"

    // SIGINT (Ctrl-C) and SIGTERM to the Maven JVM while 3 test JVMs hold the 3 slots: Maven ends by the
    // signal, its shutdown hook counts every token back and removes the FIFO's directory, and no test JVM
    // outlives it (setup.groovy's deadline: 90 s, tests of 60 s)
    ["int": 130, "term": 143].each { cell, status ->
        def f = facts(cell)
        log = text(cell + ".mvn.log")
        assert f.exit == status : cell + ": exit " + f.exit + "\n" + log
        assert log.contains(ownLine(cell, cell + ".tmp", 3)) : log
        assert log =~ /\[INFO\] jobserver: surefire:test of t\d forks up to 2 JVMs, holding 2 slots/ : log
        assert f.names.count("java") >= 3 : cell + ": the test JVMs were not among Maven's descendants: " + f.names
        assert f.left.isEmpty() : cell + ": test JVMs outlived Maven: " + f.left
        assert ends(cell) == 0 && file(cell + ".work.log").readLines().size() == 3 : text(cell + ".work.log")
        whole(cell, 3)
        empty(cell, f)
        results << cell + " (SIG" + cell.toUpperCase() + " to Maven, 3 test JVMs on the 3 slots): exit " + f.exit + " " +
                f.ended + " s after the signal, its descendants " + f.names + " gone after " + f.gone +
                " s, all 2 tokens returned, TMPDIR empty\n"
    }

    // SIGKILL: the JVM runs no code. Left in TMPDIR: its server's directory jobserver-PID.NS-RANDOM holding
    // only the FIFO (and, Maven 3.9's own, jansi's native library and its lock, which a SIGKILLed Maven
    // leaves whatever the extension does); the test JVMs end (their pipe to Maven closed)
    def kill = facts("kill")
    assert kill.exit == 137 : "exit " + kill.exit + "\n" + text("kill.mvn.log")
    assert text("kill.mvn.log").contains(ownLine("kill", "kill.tmp", 3)) : text("kill.mvn.log")
    def servers = kill.tmp.findAll { it.startsWith("jobserver-") }
    assert servers.size() == 1 : "not one server directory: " + kill.tmp
    assert servers[0] ==~ /jobserver-${kill.pid}\.\d+-\d+ dir \[fifo:other\]/ : "not the dead JVM's directory and FIFO: " + servers[0]
    assert kill.holders == "[]" : "processes hold the dead server's FIFO open (its tokens live on): " + kill.holders
    def others = kill.tmp - servers
    assert others.every { it ==~ /jansi-\S+ file/ } : "left in TMPDIR besides the server's directory: " + others
    assert kill.names.count("java") >= 3 && kill.left.isEmpty() : "test JVMs outlived the killed Maven: " + kill.left
    // the next build in the same TMPDIR removes the dead server's directory (StaleFifos) and its own
    def next = facts("kill-next")
    assert next.exit == 0 : text("kill-next.mvn.log")
    assert text("kill-next.mvn.log").contains(ownLine("kill-next", "kill.tmp", 2)) : text("kill-next.mvn.log")
    whole("kill-next", 2)
    assert next.tmp == others : "left in TMPDIR after the next build: " + next.tmp
    results << "kill (SIGKILL to Maven, 3 test JVMs on the 3 slots): left " + servers[0] + " (no process holds it open) and " +
            others.size() + " jansi files; its descendants " + kill.names + " gone after " + kill.gone +
            " s; the next build (-Djobserver.jobs=2) removed the directory\n"
}
text("results.txt").eachLine { println it }
return true
