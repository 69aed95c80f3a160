// The build as its own jobserver (-Djobserver.jobs, issue 23), no make anywhere: every Maven runs without
// MAKEFLAGS, MFLAGS, CARGO_MAKEFLAGS and MAKELEVEL, with a TMPDIR of its own (the environment's and
// java.io.tmpdir) that verify.groovy reads afterwards. This script runs the cells and records what they left
// (CELL.mvn.log, CELL.work.log, CELL.facts); verify.groovy asserts.
//   auto (every Maven): -Djobserver.jobs=auto from .mvn/maven.config;
//   with itFaults (one Maven): serve's child and the modules under one limit (and the same reactor without
//   it), Ctrl-C, SIGTERM and a failing test class mid-forks, SIGKILL and the next build in the same TMPDIR.
import java.util.concurrent.TimeUnit

def running = evaluate(new File(itLib, "running.groovy")) // alive and not a zombie
def home = binding.hasVariable("itMavenHome") ? itMavenHome : System.getProperty("maven.home")
def mvn = new File(home, "bin/mvn").absolutePath
def file = { String name -> new File(basedir, name) }
def deadline = { long seconds -> System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) }
def starts = { File log -> log.exists() ? log.readLines().count { it.startsWith("start ") } : 0 }

/** Starts Maven for {@code cell} (its logs CELL.*) in the TMPDIR {@code tmp} (default CELL.tmp). */
def maven = { String cell, List<String> args, String tmp = cell + ".tmp" ->
    def dir = file(tmp)
    dir.mkdirs()
    // the debug line of the participant's package is the server's count at the end ("all N tokens returned")
    def pb = new ProcessBuilder([mvn, "-B", "-ntp", "-Dmaven.repo.local=" + localRepositoryPath.absolutePath,
            "-Dwork.log=" + file(cell + ".work.log"), "-Dorg.slf4j.simpleLogger.log.io.github.jobserver.maven=debug"] + args)
            .directory(basedir).redirectErrorStream(true).redirectOutput(file(cell + ".mvn.log"))
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    pb.environment().put("TMPDIR", dir.absolutePath)
    pb.environment().put("MAVEN_OPTS", ((pb.environment().get("MAVEN_OPTS") ?: "") + " -Djava.io.tmpdir=" + dir.absolutePath).trim())
    return pb.start()
}
/** What {@code tmp} holds, a line each: tmp NAME TYPE, and for a directory [ENTRY:TYPE, ...] (a FIFO's type is other). */
def holds = { String tmp ->
    def type = { File f ->
        def attributes = java.nio.file.Files.readAttributes(f.toPath(), java.nio.file.attribute.PosixFileAttributes,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)
        attributes.directory ? "dir" : attributes.regularFile ? "file" : attributes.other ? "other" : "link"
    }
    def entries = { File dir -> (dir.listFiles() ?: []).sort { it.name } }
    entries(file(tmp)).collect { f ->
        "tmp " + f.name + " " + type(f) + (f.directory ? " " + entries(f).collect { it.name + ":" + type(it) } : "") + "\n"
    }.join("")
}
/** Ends a cell that runs to its end: its exit status and what its TMPDIR holds, in CELL.facts. */
def finish = { String cell, Process p, String tmp = cell + ".tmp" ->
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.toHandle().descendants().each { it.destroyForcibly() }
        p.destroyForcibly()
        assert false : cell + ": Maven did not end in 300 s (killed):\n" + file(cell + ".mvn.log").text
    }
    file(cell + ".facts").text = "exit " + p.exitValue() + "\n" + holds(tmp)
}

// auto, on every Maven: -Djobserver.jobs=auto from .mvn/maven.config (removed afterwards: the other cells and
// the invoker's own build run without it). Only module n, whose plain make has K+1 one-second jobs, and
// -T K+1: without the build's own jobserver, serve would make one of -T slots and run K+1 at once.
def processors = Runtime.runtime.availableProcessors()
def config = file(".mvn/maven.config")
config.text = "-Djobserver.jobs=auto\n"
try {
    finish("auto", maven("auto", ["-T", (processors + 1) as String, "-pl", "n", "-Dnative.jobs=" + (processors + 1), "validate"]))
} finally {
    config.delete()
}
file("auto.facts") << "processors " + processors + "\n"
if (!binding.hasVariable("itFaults")) {
    return true
}

// serve's child under the build's own jobserver of 3 beside three antrun modules of 4 s, -T 4: one limit for
// all (their items and make's jobs log to one work log); then the same reactor with no jobserver.jobs, where
// serve makes a jobserver of its own of -T slots and the modules run on Maven's threads alone
def reactor = ["-T", "4", "-pl", "n,w1,w2,w3", "-Dwork.ms=4000", "validate"]
finish("serve", maven("serve", ["-Djobserver.jobs=3"] + reactor))
finish("serve-off", maven("serve-off", reactor))

// a failing test class in both test modules (each of t1 and t2 forks 2 JVMs) under a jobserver of 3
finish("failing", maven("failing", ["-Djobserver.jobs=3", "-T", "4", "-pl", "t1,t2", "-Dwork.fail=T1", "test"]))

/**
 * t1 and t2 (4 test classes of 60 s in forks) under the build's own jobserver of 3; once 3 test JVMs run
 * (their start lines, polled with a deadline), {@code signal} goes to the Maven JVM. Records the exit, the
 * Maven JVM's pid, what its TMPDIR holds, its descendants (the forks) and how long after the signal the last
 * one ended; those still running 90 s after Maven ended are named (left) and killed here.
 */
def signalled = { String cell, String signal ->
    def log = file(cell + ".work.log")
    def p = maven(cell, ["-Djobserver.jobs=3", "-T", "4", "-pl", "t1,t2", "-Dwork.ms=60000", "test"])
    def family = []
    try {
        long until = deadline(180)
        while (starts(log) < 3 && p.alive && System.nanoTime() < until) {
            Thread.sleep(50) // polls the test classes' own log, with a deadline
        }
        assert starts(log) == 3 : cell + ": 3 test JVMs never ran:\n" + (log.exists() ? log.text : "") + file(cell + ".mvn.log").text
        // bin/mvn execs the JVM: the process started is Maven's JVM
        def jvm = p.toHandle()
        assert jvm.info().arguments().map { a -> a.any { it.contains("classworlds") } }.orElse(false) : "not Maven's JVM: " + jvm.info()
        family = jvm.descendants().collect()
        def names = family.collect { h -> h.info().command().map { new File(it).name }.orElse("?") }.sort() // while they run
        long sent = System.nanoTime()
        assert ["kill", "-" + signal, jvm.pid() as String].execute().waitFor() == 0
        assert p.waitFor(120, TimeUnit.SECONDS) : cell + ": Maven did not end in 120 s after SIG" + signal
        long mavenEnded = System.nanoTime()
        // the forks end by themselves (told by surefire, or when their stream from Maven closes): given 90 s
        long end = deadline(90)
        while (family.any { running(it) } && System.nanoTime() < end) {
            Thread.sleep(50) // polls the processes themselves, with a deadline
        }
        def left = family.findAll { running(it) }.collect { it.pid() + " " + it.info().commandLine().orElse("?").take(300) }
        def gone = (System.nanoTime() - sent) / 1e9
        // the processes that hold a FIFO of the TMPDIR open (a FIFO nobody holds open is empty: its pipe is gone)
        def fifos = (file(cell + ".tmp").listFiles() ?: []).collect { new File(it, "fifo").absolutePath }
        def holders = new File("/proc").listFiles().findAll { it.name ==~ /\d+/ }.findAll { proc ->
            (new File(proc, "fd").listFiles() ?: []).any { fd ->
                try { fifos.contains(java.nio.file.Files.readSymbolicLink(fd.toPath()).toString()) } catch (IOException e) { false }
            }
        }.collect { it.name }
        file(cell + ".facts").text = "exit " + p.exitValue() + "\n" + holds(cell + ".tmp") + "pid " + jvm.pid() + "\n" +
                "ended " + String.format("%.1f", (mavenEnded - sent) / 1e9) + "\n" + // s after the signal
                "descendants " + family.size() + " " + names + "\n" + "gone " + String.format("%.1f", gone) + "\n" +
                "holders " + holders + "\n" +
                left.collect { "left " + it + "\n" }.join("")
    } finally {
        // whatever failed above, nothing of the cell runs on: Maven and its test JVMs (named in CELL.facts)
        if (p.alive) {
            family += p.toHandle().descendants().collect()
            p.destroyForcibly()
        }
        family.each { it.destroyForcibly() }
    }
}
signalled("int", "INT")
signalled("term", "TERM")
// SIGKILL: the JVM runs no code; its server's directory stays until the next build in the same TMPDIR
signalled("kill", "KILL")
finish("kill-next", maven("kill-next", ["-Djobserver.jobs=2", "-pl", "w1", "-Dwork.ms=100", "validate"], "kill.tmp"), "kill.tmp")
return true
