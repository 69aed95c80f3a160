// Real GNU make -j4 runs the Maven under test on this reactor, one scenario at a time.
import java.nio.file.*

// The Maven under test: the matrix executions pass itMavenHome; the default one runs this build's Maven.
def home = binding.hasVariable("itMavenHome") ? itMavenHome : System.getProperty("maven.home")
def mvn = new File(home, "bin/mvn").absolutePath
def copy = { Path from, Path to ->
    Files.walk(from).filter { !from.relativize(it).toString().split("/").contains("target") }.each { p ->
        def dest = to.resolve(from.relativize(p).toString())
        if (Files.isDirectory(p)) Files.createDirectories(dest) else Files.copy(p, dest)
    }
}
def base = basedir.toPath()
Files.createDirectories(base.resolve("twin"))
["pom.xml", "m1", "m2", "m3", "m4", "m5", "m6", ".mvn"].each { copy(base.resolve(it), base.resolve("twin").resolve(it)) }
// the twin is another reactor: other coordinates, so the two Mavens share nothing but the jobserver
Files.walk(base.resolve("twin")).filter { it.fileName.toString() == "pom.xml" }.each { p ->
    def f = p.toFile()
    f.text = f.text.replace("<groupId>it.jobserver</groupId>", "<groupId>it.jobserver.twin</groupId>")
}

// a third copy without .mvn/extensions.xml: the "classpath" scenario puts the jar on Maven's core class path
Files.createDirectories(base.resolve("cp/.mvn")) // Maven's root without extensions.xml, so ../.mvn's is not read
Files.copy(base.resolve(".mvn/jvm.config"), base.resolve("cp/.mvn/jvm.config"))
["pom.xml", "m1", "m2", "m3", "m4", "m5", "m6"].each { copy(base.resolve(it), base.resolve("cp").resolve(it)) }
Files.walk(base.resolve("cp")).filter { it.fileName.toString() == "pom.xml" }.each { p ->
    def f = p.toFile()
    f.text = f.text.replace("<groupId>it.jobserver</groupId>", "<groupId>it.jobserver.cp</groupId>")
}
// two more copies for takari's smart builder (-b smart, a core extension beside ours), with coordinates of their own
def extensions = new File(basedir, ".mvn/extensions.xml").text
["smart", "smart2"].each { dir ->
    Files.createDirectories(base.resolve(dir + "/.mvn"))
    Files.copy(base.resolve(".mvn/jvm.config"), base.resolve(dir + "/.mvn/jvm.config"))
    ["pom.xml", "m1", "m2", "m3", "m4", "m5", "m6"].each { copy(base.resolve(it), base.resolve(dir).resolve(it)) }
    Files.walk(base.resolve(dir)).filter { it.fileName.toString() == "pom.xml" }.each { p ->
        def f = p.toFile()
        f.text = f.text.replace("<groupId>it.jobserver</groupId>", "<groupId>it.jobserver." + dir + "</groupId>")
    }
    base.resolve(dir + "/.mvn/extensions.xml").toFile().text = extensions.replace("</extensions>", """  <extension>
    <groupId>io.takari.maven</groupId>
    <artifactId>takari-smart-builder</artifactId>
    <version>1.0.2</version>
  </extension>
</extensions>""")
}
def version = (new File(basedir, ".mvn/extensions.xml").text =~ /<version>([^<]+)<\/version>/)[0][1]
def jar = new File(localRepositoryPath, "io/github/jobserver/jobserver-extension/" + version
        + "/jobserver-extension-" + version + ".jar").absolutePath

// the JDK its Mavens and our tool run on (JAVA_HOME in every process's environment): JDK 25 on one execution
def jdk = evaluate(new File(itLib, "jdk.groovy"))
def onJdk = { ProcessBuilder pb ->
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    pb.environment().put("JAVA_HOME", jdk.home)
    return pb
}
if (jdk.wanted) {
    // what the Mavens below report as their Java (verify.groovy checks it)
    onJdk(new ProcessBuilder(mvn, "-v").directory(basedir).redirectErrorStream(true)
            .redirectOutput(new File(basedir, "jdk.mvn.log"))).start().waitFor()
}

def runMake = { List<String> make, String run, String scenario ->
    def log = new File(basedir, run + scenario + ".make.log")
    def pb = new ProcessBuilder(make + ["-j4", scenario, "MVN=" + mvn, "REPO=" + localRepositoryPath.absolutePath,
            "JAR=" + jar, "RUN=" + run]).directory(basedir).redirectErrorStream(true).redirectOutput(log)
    def exit = onJdk(pb).start().waitFor()
    if (exit != 0) {
        throw new AssertionError(make.join(" ") + " " + scenario + " exited " + exit + ":\n" + log.text)
    }
}
def extra = binding.hasVariable("itExtraScenarios") ? itExtraScenarios.split(",") as List : []
extra = extra.collectMany { it == "smart" ? ["smart", "smart-two"] : [it] } // smart: alone and as two Mavens
(["dynamic", "two", "noplus", "claim", "failure", "failfast", "failnever", "pomerror", "jnr", "classpath"] + extra).each {
    runMake(["make"], "", it)
}

// GNU make 4.4.1 (src/it/peers.sh found or built it): the core cases in its default FIFO style, where a
// rule without '+' is given the jobserver too, and in its pipe style, where such a rule sees -2,-2.
// peers.txt records what ran; .ci/run fails when these cases did not.
def make44 = evaluate(new File(itLib, "peers.groovy")).make44
if (make44) {
    ["dynamic", "two", "noplus", "claim"].each { runMake([make44], "fifo-", it) }
    ["dynamic", "noplus"].each { runMake([make44, "--jobserver-style=pipe"], "pipe-", it) }
}
new File(basedir, "peers.txt").text = "make44 " + (make44 ?: "none") + "\n" + jdk.record

// Our own FIFO jobserver (as make 4.4 makes one) runs Maven and counts the tokens at the end:
// a clean build, then SIGTERM and SIGINT (Ctrl-C) sent to the Maven JVM in the middle of a module.
def java = jdk.java
def findJvm = { Process top ->
    // the Maven JVM is the java process started by Maven's classworlds launcher
    top.toHandle().descendants().filter { h ->
        h.info().arguments().map { a -> a.any { it.contains("classworlds") } }.orElse(false)
    }.findFirst()
}
def mavenJvm = { Process top ->
    def jvm = findJvm(top)
    assert jvm.present : "no Maven JVM under " + top
    return jvm.get()
}
def awaitOrFail = { Process server, String what, Closure<Boolean> condition ->
    long deadline = System.nanoTime() + 120_000_000_000L
    while (!condition() && server.alive && System.nanoTime() < deadline) {
        Thread.sleep(100) // polls a condition, bounded by the deadline
    }
    assert condition() : "never reached: " + what
}
def starts = { File log -> log.exists() ? log.readLines().count { it.startsWith("start ") } : 0 }
def endLines = { File log -> log.exists() ? log.readLines().count { it.startsWith("end ") } : 0 }
// the demo's claim ("hog") takes both free tokens before Maven starts and holds them until Maven is done
def hog = '''log=$1 java=$2 jar=$3; shift 3
"$java" -cp "$jar" io.github.jobserver.cli.JobserverTool claim --log "$log" 600000 & hog=$!
n=0; until grep -q "^start" "$log" 2>/dev/null; do n=$((n+1)); if [ $n -gt 2400 ]; then kill $hog; exit 99; fi; sleep 0.05; done
"$@"; status=$?
kill $hog; wait $hog
exit $status'''
// Signals (sent one after the other) reach the Maven JVM at a stage of its build (its modules take seconds, so
// they still run when the signal comes; the root, which runs alone before them, 1 s):
//   "startup": as soon as the JVM exists, before the extension has taken anything;
//   "module": the parent and 4 modules have started, i.e. Maven holds 3 tokens;
//   "waiting": another client (the hog) holds every token, one module runs on the implicit slot and two
//     more wait for a token.
// Each run gets a TMPDIR of its own; faults.txt records per run what was left behind in it and which of
// the Maven JVM and its descendants outlived the server.
def running = evaluate(new File(itLib, "running.groovy")) // alive and not a zombie
def faults = new File(basedir, "faults.txt")
def serve = { String name, String stage, List<String> signals, boolean toServer = false, String dir = "." ->
    def log = new File(basedir, name + ".work.log")
    def out = new File(basedir, name + ".serve.log")
    def tmp = new File(basedir, name + ".tmp")
    tmp.mkdirs()
    // a module outlives the signal by seconds; where Maven builds on after the fault (the FIFO's path or the
    // server gone), 4 s each is enough
    def ms = !signals ? 1000 : toServer || signals.contains("rm-fifo") ? 4000 : 8000
    def before = stage == "waiting" ? ["/bin/sh", "-c", hog, "sh", new File(basedir, name + ".hog.log").absolutePath, java, jar] : []
    def pb = new ProcessBuilder([java, "-cp", jar, "io.github.jobserver.cli.JobserverTool", "serve", "--fifo", before ? "3" : "4"]
            + before + [mvn, "-B", "-ntp"] + (dir == "smart" ? ["-b", "smart"] : []) + [
            "-Dmaven.repo.local=" + localRepositoryPath.absolutePath, "-Dwork.log=" + log,
            "-Dwork.ms=" + ms, "-Dwork.root.ms=1000", "-Dorg.slf4j.simpleLogger.log.io.github.jobserver=debug", "validate"])
            .directory(new File(basedir, dir)).redirectErrorStream(true).redirectOutput(out)
    onJdk(pb).environment().put("TMPDIR", tmp.absolutePath)
    def server = pb.start()
    if (stage == "startup") {
        awaitOrFail(server, "a Maven JVM") { findJvm(server).present }
    } else if (stage == "module") {
        awaitOrFail(server, "4 modules running") { starts(log) >= 5 }
        assert starts(log) == 5 && endLines(log) == 1 : "expected 4 modules running at the signal: " + log.text
    } else if (stage == "waiting") {
        awaitOrFail(server, "two modules waiting for a token") {
            starts(log) == 2 && endLines(log) == 1 && out.text.count(" needs a slot") >= 4
        }
    }
    def family = []
    if (signals) {
        def jvm = mavenJvm(server)
        family = [jvm] + jvm.descendants().collect()
        signals.each { signal ->
            if (signal == "rm-fifo") {
                // a /tmp cleaner: the server's FIFO path goes, the FIFO lives on in the descriptors open on it
                tmp.eachFileRecurse { if (it.name == "fifo") assert it.delete() : "cannot remove " + it }
                return
            }
            def target = toServer ? server.pid() : jvm.pid()
            new ProcessBuilder("kill", "-" + signal, String.valueOf(target)).inheritIO().start().waitFor()
        }
        // the server gone, Maven builds on alone: its end is the end of the case
        jvm.onExit().get(120, java.util.concurrent.TimeUnit.SECONDS)
    }
    server.waitFor()
    def left = family.findAll { running(it) }.collect { it.pid() + " " + it.info().commandLine().orElse("?") }
    faults << name + ": left " + (left ? left.join(", ") : "no process") + "; TMPDIR holds " + (tmp.list() as List) + "\n"
}
serve("fifo", null, [])
serve("sigterm", "module", ["TERM"])
serve("sigint", "module", ["INT"])
serve("waiting", "waiting", ["TERM"])
if (binding.hasVariable("itFaults")) {
    // the rest of the fault matrix, on one Maven: every stage, every signal
    serve("startup-int", "startup", ["INT"])
    serve("startup-term", "startup", ["TERM"])
    serve("startup-kill", "startup", ["KILL"])
    serve("waiting-int", "waiting", ["INT"])
    serve("waiting-kill", "waiting", ["KILL"])
    serve("module-kill", "module", ["KILL"])
    // a second signal while the first one's shutdown hook runs (Ctrl-C pressed twice, a TERM repeated)
    serve("shutdown-int", "module", ["TERM", "INT"])
    serve("shutdown-term", "module", ["INT", "TERM"])
    // SIGKILL while the shutdown hook of a SIGTERM gives the tokens back: the guardian gives back the rest
    serve("shutdown-kill", "module", ["TERM", "KILL"])
    // the FIFO's path removed while Maven holds 3 tokens and 2 modules wait: nothing is lost
    serve("fifo-removed", "module", ["rm-fifo"])
    // the jobserver goes away mid-module: SIGTERM (its hook removes the FIFO) or SIGKILL to the server
    serve("server-term", "module", ["TERM"], true)
    serve("server-kill", "module", ["KILL"], true)
    // takari's smart builder: SIGTERM mid-module gives every token back as under Maven's own builders
    serve("smart-sigterm", "module", ["TERM"], false, "smart")
}
return true
