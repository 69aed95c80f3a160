// A jobserver served from user space that tracks its clients, as Gentoo's steve and the nixos jobserver do:
// our own FUSE server (src/it/lib/tracking-jobserver.c, built by peers.sh) with 3 tokens, so 4 jobs with a
// client's own. Each cell runs under a fresh server and reads its count at the end: the pool whole, no write
// from a process that held nothing (a guardian's would be one), no byte that was never handed out. One Maven
// runs the cells (itFaults); peers.txt records whether they ran (.ci/run fails when they did not).
import java.util.concurrent.TimeUnit

def peers = evaluate(new File(itLib, "peers.groovy"))
def peak = evaluate(new File(itLib, "peak.groovy"))
if (!binding.hasVariable("itFaults")) {
    return true
}
def record = new File(basedir, "peers.txt")
if (!peers.tracking || !peers.make44) {
    record.text = "tracking none\n"
    println "tracking: no FUSE tracking server (peers.sh: tracking=" + peers.tracking + ") or no make 4.4: not run"
    return true
}
record.text = "tracking " + peers.tracking + "\n"

def mvn = new File(itMavenHome, "bin/mvn").absolutePath
def repo = localRepositoryPath.absolutePath
def version = (new File(basedir, ".mvn/extensions.xml").text =~ /<version>([^<]+)<\/version>/)[0][1]
def file = { String name -> new File(basedir, name) }
def deadline = { long seconds -> System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) }

// "free=3 held=0 ..." -> [free: 3, held: 0, ...]
def parse = { String line ->
    assert line != null && line.startsWith("free=") : "not a status line: " + line
    line.trim().split(" ").collectEntries { kv -> def (k, v) = kv.split("="); [(k): v as int] }
}
def start = { String name ->
    def mount = file(name + ".mnt")
    mount.mkdirs()
    def p = new ProcessBuilder(peers.tracking, "--log", file(name + ".server.log").absolutePath, mount.absolutePath, "3")
            .redirectError(file(name + ".server.err")).start()
    def out = new BufferedReader(new InputStreamReader(p.inputStream))
    def first = out.readLine()
    assert first == "ready" : name + ": the tracking server did not start (" + first + "): " + file(name + ".server.err").text
    return [process: p, mount: mount, out: out, jobserver: new File(mount, "jobserver").absolutePath]
}
def status = { server -> parse(new File(server.mount, "status").text) }
// unmounts, and returns the server's last count
def stop = { server ->
    def umount = ["fusermount3", "-u", server.mount.absolutePath].execute()
    assert umount.waitFor() == 0 : "fusermount3 -u: " + umount.err.text
    def last = server.out.readLine()
    assert server.process.waitFor(30, TimeUnit.SECONDS) : "the tracking server did not end"
    return parse(last)
}
// make writes back '+' whatever byte it read: a byte not handed out is counted (foreign) only for our clients
def whole = { String name, Map count, boolean ours = true ->
    println name + ": server at the end " + count
    assert count.free == 3 && count.held == 0 : name + ": the pool is not whole: " + count
    assert count.refused == 0 : name + ": a write from a process that held nothing: " + count
    assert !ours || count.foreign == 0 : name + ": a byte written back that was not the one read: " + count
    assert count.peak <= 3 : name + ": more than 3 tokens out: " + count
}
def run = { Map server, List<String> command, File log ->
    def pb = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true).redirectOutput(log)
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    pb.environment().put("MAKEFLAGS", " -j4 --jobserver-auth=fifo:" + server.jobserver)
    return pb.start()
}
def maven = { String name, List<String> args ->
    [mvn, "-B", "-ntp", "-Dmaven.repo.local=" + repo, "-Dwork.log=" + file(name + ".work.log")] + args
}
def noGuardian = { String name ->
    def guardians = new File("/proc").listFiles().findAll { it.name ==~ /\d+/ }.findAll { dir ->
        try { new File(dir, "cmdline").text.contains("jobserver-guardian") } catch (IOException e) { false }
    }
    assert guardians.isEmpty() : name + ": a guardian runs for a server that tracks its clients: " + guardians
}

// GNU make 4.4.1 as the server's client: 8 jobs, at most 4 at once, nothing lost, no hang (poll)
def server = start("make")
def p = run(server, [peers.make44, "-f", "native.mk", "LOG=" + file("make.work.log")], file("make.make.log"))
assert p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0 : "make: " + file("make.make.log").text
whole("make", stop(server), false)
assert !file("make.make.log").text.contains("INTERNAL") : file("make.make.log").text
def makePeak = peak(file("make.work.log"))
println "make: make 4.4.1 under the tracking server: peak " + makePeak + " of 4"
assert makePeak <= 4 && makePeak >= 2

// Maven as its client, dynamic and claim: 7 modules of 1 s, at most 4 at once, reached
["dynamic": [], "claim": ["-Djobserver.mode=claim"]].each { name, extra ->
    def s = start(name)
    def m = run(s, maven(name, extra + ["validate"]), file(name + ".mvn.log"))
    assert m.waitFor(300, TimeUnit.SECONDS) && m.exitValue() == 0 : name + ": " + file(name + ".mvn.log").text
    def count = stop(s)
    whole(name, count)
    def log = file(name + ".mvn.log").text
    assert log.contains("[INFO] jobserver: make -j4 (fifo " + s.jobserver + "), " + (name == "claim" ? "claim, 3 tokens claimed, 4 threads" : "dynamic")) : log
    def at = peak(file(name + ".work.log"))
    println name + ": Maven under the tracking server: peak " + at + " of 4, " + count.reads + " tokens read"
    assert at == 4 : name + ": peak " + at
}

// SIGKILL to Maven while it holds 3 tokens: the server takes them back itself; nobody writes them again
server = start("kill")
p = run(server, maven("kill", ["-Dwork.ms=60000", "-Dwork.root.ms=100", "validate"]), file("kill.mvn.log"))
def until = deadline(180)
while (status(server).held < 3 && p.alive && System.nanoTime() < until) {
    Thread.sleep(50) // polls the server's own count, with a deadline
}
assert status(server).held == 3 : "Maven never held 3 tokens: " + status(server) + "\n" + file("kill.mvn.log").text
noGuardian("kill")
def before = status(server)
["kill", "-KILL", p.pid() as String].execute().waitFor()
assert p.waitFor(60, TimeUnit.SECONDS)
until = deadline(60)
while (status(server).reclaimed < 3 && System.nanoTime() < until) {
    Thread.sleep(50) // the server learns of the death through its pidfd: waits for its count, with a deadline
}
// Maven's test JVMs (none here) and antrun's sleeps die with it: what is left to write back is nothing
def after = stop(server)
println "kill: SIGKILL to Maven holding 3 tokens: " + before + " -> at the end " + after
assert after.reclaimed == 3 && after.free == 3 && after.held == 0 : after
assert after.refused == 0 && after.foreign == 0 && after.writes == before.writes : "written after the kill: " + after

// serve's child under it: make 4.4.1 of 8 jobs inside the build's one limit
server = start("serve")
p = run(server, maven("serve", ["-N", "io.github.jobserver:jobserver-maven-plugin:" + version + ":serve",
        "-Djobserver.command=" + peers.make44 + " -f native.mk LOG=" + file("serve.work.log")]), file("serve.mvn.log"))
assert p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0 : "serve: " + file("serve.mvn.log").text
whole("serve", stop(server), false)
def servePeak = peak(file("serve.work.log"))
println "serve: make 4.4.1 as serve's child under the tracking server: peak " + servePeak + " of 4"
assert servePeak <= 4 && servePeak >= 2 && !file("serve.mvn.log").text.contains("INTERNAL")
return true
