def peak = evaluate(new File(itLib, "peak.groovy")) // the most work items at once, by a work log

def text = { String name -> new File(basedir, name).text }
def starts = { String name -> new File(basedir, name).readLines().count { it.startsWith("start ") } }
def ends = { String name -> new File(basedir, name).readLines().count { it.startsWith("end ") } }
def noLostTokens = { String log -> assert !log.contains("INTERNAL: Exiting with") : "make counted lost tokens:\n" + log }
/**
 * A whole build of the 7 modules under make -j4: this decision line (on make's pipe, or on the jobserver
 * that {@code where} matches), success, every token back, exactly 4 at a time.
 */
def wholeBuild = { String name, String decision, String where = java.util.regex.Pattern.quote("(pipe 3,4)") ->
    def log = text(name + ".make.log")
    assert log =~ "\\[INFO\\] jobserver: make -j4 " + where + ", " + java.util.regex.Pattern.quote(decision) : log
    assert log.contains("BUILD SUCCESS") : log
    noLostTokens(log)
    assert ends(name + ".work.log") == 7
    assert peak(new File(basedir, name + ".work.log")) == 4
    return log
}

// dynamic: 7 modules (the parent first, then m1..m6) exactly 4 at a time, on a thread for each of the 6
// modules that can wait at once (the queue, not Maven's thread pool, picks the next)
def DYNAMIC = "dynamic, up to 4 at once (make -j4) on 6 threads, longest chain first"
def dynamic = wholeBuild("dynamic", DYNAMIC)
assert dynamic.contains("Using the MultiThreadedBuilder implementation with a thread count of 6") : dynamic

// two Mavens, 14 modules, one make -j4: never more than 4 at once, and 4 reached
noLostTokens(text("two.make.log"))
["two-a.mvn.log", "two-b.mvn.log"].each { name ->
    def maven = text(name)
    assert maven.contains("[INFO] jobserver: make -j4 (pipe 3,4), " + DYNAMIC) : maven
    assert maven.contains("BUILD SUCCESS") : maven
}
assert ends("two.work.log") == 14
assert peak(new File(basedir, "two.work.log")) == 4

// no '+': make's warning and remedy, one thread, fds 3/4 never used
def noplus = text("noplus.make.log")
assert noplus.contains("[WARNING] jobserver unavailable: using -j1. Add '+' to the parent make rule.") : noplus
assert !noplus.contains("MultiThreadedBuilder") : noplus
assert noplus.contains("BUILD SUCCESS") : noplus
noLostTokens(noplus)
assert peak(new File(basedir, "noplus.work.log")) == 1

// claim: the 3 free tokens of make -j4, 4 threads, all returned
def claim = text("claim.make.log")
assert claim.contains("[INFO] jobserver: make -j4 (pipe 3,4), claim, 3 tokens claimed, 4 threads (make -j4)") : claim
noLostTokens(claim)
assert peak(new File(basedir, "claim.work.log")) == 4

// a failing module with -fae: the build fails, the others still build, every token comes back
def failure = text("failure.make.log")
assert failure.contains("work item m3 failed on purpose") : failure
assert failure.contains("BUILD FAILURE") : failure
noLostTokens(failure)
assert ends("failure.work.log") == 7

// -ff: the build stops at the first failure; -fn: it reports the failure and exits 0; both give every token back
def failfast = text("failfast.make.log")
assert failfast.contains("work item m3 failed on purpose") : failfast
assert failfast.contains("BUILD FAILURE") : failfast
noLostTokens(failfast)
assert peak(new File(basedir, "failfast.work.log")) <= 4
def failnever = text("failnever.make.log")
assert failnever.contains("work item m3 failed on purpose") : failnever
assert !failnever.contains("make: ***") : failnever // make (no '-' on this rule) saw exit 0
noLostTokens(failnever)
assert ends("failnever.work.log") == 7
assert peak(new File(basedir, "failnever.work.log")) == 4

// a POM Maven cannot read: the build fails before any module, and make gets every token back
def pomerror = text("pomerror.make.log")
assert pomerror =~ /(?m)^\[ERROR\].*broken\/pom\.xml/ && !pomerror.contains("BUILD SUCCESS") : pomerror
assert !(pomerror =~ /(?m)^\[INFO\] jobserver/) : pomerror
assert !new File(basedir, "pomerror.work.log").exists()
noLostTokens(pomerror)

// the jnr back end, resolved through Maven at run time: same limit, same result
def jnr = wholeBuild("jnr", DYNAMIC)
assert jnr =~ /\[DEBUG\] jobserver: loaded com\.github\.jnr:jnr-posix:[^ ]+ \(12 jars, [^)]+\) for the portable back end/ : jnr
// without /proc no path reaches make's pipe: the guardian was started with it handed down (else a DEBUG line
// says the tokens were not guarded, and why)
assert !jnr.contains("were not guarded") : jnr

// the jar on -Dmaven.ext.class.path: the same decision and limit as through extensions.xml
def classpath = wholeBuild("classpath", DYNAMIC)
assert classpath.count("[INFO] jobserver: make -j4") == 1 : "the extension loaded twice:\n" + classpath

// Maven 4's concurrent builder (its execution sets itExtraScenarios): no deadlock, 4 at a time
if (binding.hasVariable("itExtraScenarios") && itExtraScenarios.contains("concurrent")) {
    wholeBuild("concurrent", "dynamic (a slot per mojo: concurrent builder), up to 4 threads (make -j4)")
}

// takari's smart builder (its executions set itExtraScenarios): the same decision, limit and result; two
// Mavens on it share one make -j4
if (binding.hasVariable("itExtraScenarios") && itExtraScenarios.contains("smart")) {
    def smart = wholeBuild("smart", DYNAMIC)
    assert smart.contains("SmartBuilder") && !smart.contains("MultiThreadedBuilder") : "not the smart builder:\n" + smart
    noLostTokens(text("smart-two.make.log"))
    ["smart-two-a.mvn.log", "smart-two-b.mvn.log"].each { name ->
        def maven = text(name)
        assert maven.contains("[INFO] jobserver: make -j4 (pipe 3,4), " + DYNAMIC) : maven
        assert maven.contains("SmartBuilder") && maven.contains("BUILD SUCCESS") : maven
    }
    assert ends("smart-two.work.log") == 14
    assert peak(new File(basedir, "smart-two.work.log")) == 4
}

// GNU make 4.4.1 (peers.txt says whether src/it/peers.sh found one; .ci/run fails when it did not)
if (!text("peers.txt").startsWith("make44 none")) {
    def fifo44 = "\\(fifo /[^)]*/GMfifo\\d+\\)"
    // its default FIFO style: a '+' rule and a plain rule alike join it (the '+' advice would be wrong here)
    ["fifo-dynamic", "fifo-noplus"].each { name ->
        def log = wholeBuild(name, DYNAMIC, fifo44)
        assert !(log =~ /(?m)^\[WARNING\].*jobserver/) : log
    }
    noLostTokens(text("fifo-two.make.log"))
    ["fifo-two-a.mvn.log", "fifo-two-b.mvn.log"].each { name ->
        assert text(name) =~ "\\[INFO\\] jobserver: make -j4 " + fifo44 + ", " + java.util.regex.Pattern.quote(DYNAMIC) : text(name)
        assert text(name).contains("BUILD SUCCESS") : text(name)
    }
    assert ends("fifo-two.work.log") == 14
    assert peak(new File(basedir, "fifo-two.work.log")) == 4
    def claim44 = text("fifo-claim.make.log")
    assert claim44 =~ "\\[INFO\\] jobserver: make -j4 " + fifo44 + ", claim, 3 tokens claimed, 4 threads \\(make -j4\\)" : claim44
    noLostTokens(claim44)
    assert peak(new File(basedir, "fifo-claim.work.log")) == 4
    // --jobserver-style=pipe: fds for a '+' rule as make 4.3 gives them; -2,-2 (disabled) for a plain one
    wholeBuild("pipe-dynamic", DYNAMIC)
    def noplus44 = text("pipe-noplus.make.log")
    assert noplus44.contains("[WARNING] jobserver unavailable: using -j1. Add '+' to the parent make rule. "
            + "(--jobserver-auth=-2,-2: make disabled the jobserver for this command (negative fds))") : noplus44
    assert noplus44.contains("BUILD SUCCESS") : noplus44
    noLostTokens(noplus44)
    assert peak(new File(basedir, "pipe-noplus.work.log")) == 1
}

// Our FIFO server: Maven as a fifo: client, and every token counted back (after SIGTERM, SIGINT: below)
def fifo = text("fifo.serve.log")
assert fifo =~ /\[INFO\] jobserver: make -j4 \(fifo \/.*\/fifo\), dynamic, up to 4 at once \(make -j4\) on 6 threads/ : fifo
assert fifo.contains("jobserver: all 3 tokens returned; command exited 0") : fifo
assert peak(new File(basedir, "fifo.work.log")) == 4

// SIGTERM while two modules wait for a token another client holds: the waits end, nothing is taken twice
assert text("waiting.serve.log").contains("claimed 2 tokens") : text("waiting.serve.log")

// Every run under our server: the Maven JVM and its descendants ended with it, and its TMPDIR is empty
// (the server's FIFO directory is gone: Maven itself makes none)
def faults = text("faults.txt").readLines()
def ran = { String name -> faults.any { it.startsWith(name + ":") } }
assert ["fifo", "sigterm", "sigint", "waiting"].every(ran) : faults
faults.findAll { !it.startsWith("server-kill:") }.each {
    assert it.endsWith(": left no process; TMPDIR holds []") : faults.join("\n")
}

// The fault matrix (all of it with itFaults, on one Maven; the first three cells on every Maven): the
// server's count of its tokens and the exit code. SIGKILL too: the JVM runs no code after it, and its
// guardian process gives back what it held (it says so).
[
    "sigterm": "all 3 tokens returned; command exited 143",
    "sigint": "all 3 tokens returned; command exited 130",
    "waiting": "all 2 tokens returned; command exited 143",
    "startup-int": "all 3 tokens returned; command exited 130",
    "startup-term": "all 3 tokens returned; command exited 143",
    "startup-kill": "all 3 tokens returned; command exited 137",
    "waiting-int": "all 2 tokens returned; command exited 130",
    "waiting-kill": "all 2 tokens returned; command exited 137",
    "module-kill": "all 3 tokens returned; command exited 137",
    "smart-sigterm": "all 3 tokens returned; command exited 143",
    // two signals ms apart: the JVM exits with the code of whichever handler thread calls exit first
    // (the first signal's in every run so far); the second one finds the shutdown under way
    "shutdown-int": "all 3 tokens returned; command exited (143|130)",
    "shutdown-term": "all 3 tokens returned; command exited (130|143)",
    // the KILL lands during the TERM's hook (137) or after the JVM ended on it (143): all 3 back either way
    "shutdown-kill": "all 3 tokens returned; command exited (137|143)",
    "fifo-removed": "all 3 tokens returned; command exited 0",
].findAll { name, outcome -> ran(name) }.each { name, outcome ->
    def log = text(name + ".serve.log")
    assert log =~ "(?m)jobserver: " + outcome + "\$" : name + ":\n" + log // outcomes are patterns
    if (name.startsWith("startup")) {
        assert !log.contains("[INFO] jobserver: make -j4") : name + ": the extension had decided already:\n" + log
    }
    if (name.startsWith("waiting")) {
        assert starts(name + ".work.log") == 2 : text(name + ".work.log")
    }
    if (name.startsWith("smart")) {
        assert log.contains("SmartBuilder") : name + ": not the smart builder:\n" + log
    }
    if (name.startsWith("shutdown")) {
        assert starts(name + ".work.log") == 5 : text(name + ".work.log")
    }
    if (name == "fifo-removed") {
        assert log.contains("BUILD SUCCESS") && !(log =~ /(?m)^\[WARNING\].*jobserver/) : log
        assert ends(name + ".work.log") == 7 : text(name + ".work.log")
    }
    if (name == "module-kill") {
        assert log.contains("jobserver: the guardian of process ") && log.contains(" gave back the 3 tokens it held when it ended") : log
    }
}

// The jobserver disappears while 4 modules run (its client never sees EOF: it holds a write end itself).
// SIGTERM: the server's hook removes its FIFO; SIGKILL: the FIFO stays. Either way Maven builds on, with
// at most one warning, and every module ends.
if (ran("server-term")) {
    ["server-term", "server-kill"].each { name ->
        def log = text(name + ".serve.log")
        assert log.contains("BUILD SUCCESS") : name + ":\n" + log
        assert (log =~ /(?m)^\[WARNING\].*jobserver/).count <= 1 : name + ":\n" + log
        assert ends(name + ".work.log") == 7 : text(name + ".work.log")
    }
    // SIGKILL left the server's private directory (no hook ran); no process is left
    assert faults.find { it.startsWith("server-kill:") } =~ /^server-kill: left no process; TMPDIR holds \[jobserver-(\d+\.\d+-)?\d+\]$/ : faults.join("\n")
}

// The invoker's own build, not under make: not a word from the extension, one module at a time.
def build = text("build.log")
assert !(build =~ /(?m)^\[(INFO|WARNING|ERROR)\] jobserver/) : build
assert !build.contains("MultiThreadedBuilder") : build
assert peak(new File(basedir, "work.log")) == 1

// the execution that runs its Mavens on JDK 25 (itJdk): they did, and no JVM warning reached a console
def jdk = evaluate(new File(itLib, "jdk.groovy")).verify(basedir)
if (jdk) {
    println "under-make: " + jdk.trim()
}
return true
