// Runs jobserver:serve in each case, logging every work item's start and end with a timestamp.
def home = binding.hasVariable("itMavenHome") ? itMavenHome : System.getProperty("maven.home")
def mvn = new File(home, "bin/mvn").absolutePath
def version = (new File(basedir, "pom.xml").text =~ /<jobserver.plugin.version>([^<]+)</)[0][1]
def goal = "io.github.jobserver:jobserver-maven-plugin:" + version + ":serve"
def repo = localRepositoryPath.absolutePath
// the JDK its Mavens and our tool run on (JAVA_HOME in every process's environment): JDK 25 on one execution
def jdk = evaluate(new File(itLib, "jdk.groovy"))
def java = jdk.java
def extensionJar = new File(localRepositoryPath, "io/github/jobserver/jobserver-extension/" + version
        + "/jobserver-extension-" + version + ".jar").absolutePath
def log = { String name -> new File(basedir, name + ".work.log").absolutePath }

/** A case's process: output to NAME.log, no jobserver inherited from the invoker's environment. */
def child = { String name, List<String> command, Map<String, String> env ->
    def pb = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true)
            .redirectOutput(new File(basedir, name + ".log"))
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    pb.environment().put("JAVA_HOME", jdk.home)
    pb.environment().putAll(env)
    return pb
}
def run = { String name, List<String> command, Map<String, String> env = [:] ->
    def pb = child(name, command, env)
    long start = System.nanoTime()
    int exit = pb.start().waitFor()
    new File(basedir, name + ".exit").text = exit + " " + (System.nanoTime() - start) / 1_000_000 + "\n"
}
def maven = { List<String> args -> [mvn, "-B", "-ntp", "-Dmaven.repo.local=" + repo, goal] + args }
if (jdk.wanted) {
    run("jdk.mvn", [mvn, "-v"]) // what the Mavens below report as their Java (verify.groovy checks it)
}

// a new jobserver of 3 slots for eight one-second recipes
run("jobs3", maven(["-Djobserver.jobs=3", "-Djobserver.command=make -f recipes.mk LOG=" + log("jobs3")]))
// under an outer make -j3 that runs three jobs of its own: the child joins make's jobserver
run("outer", ["make", "-j3", "-f", "outer.mk", "MVN=" + mvn, "REPO=" + repo, "GOAL=" + goal, "LOG=" + log("outer")])
// a child with its own -j4 (a command copied from a build of its own) under make -j3: serve drops the -j4,
// so the child stays on make's jobserver (kept, it would run 4 at once by itself: issue 22 saw 16 of 4)
run("ownjobs", ["make", "-j3", "-f", "outer.mk", "MVN=" + mvn, "REPO=" + repo, "GOAL=" + goal, "LOG=" + log("ownjobs"),
        "CHILD=make -j4 -f recipes.mk LOG=" + log("ownjobs")])
// a child that loses two of the outer make -j3's tokens (through the relay, which makes them good)
run("shortfall", ["make", "-j3", "-f", "outer.mk", "shortfall", "MVN=" + mvn, "REPO=" + repo, "GOAL=" + goal])
// the same child given serve's own new jobserver of 3 itself: the server's count at the end reports it
run("shortfall-new", maven(["-Djobserver.jobs=3", "-Djobserver.command=make -f recipes.mk greedy"]))
// under a FIFO jobserver (as make 4.4 makes one): the make-4.3 child gets it as descriptors
run("fifo", [java, "-cp", extensionJar, "io.github.jobserver.cli.JobserverTool", "serve", "--fifo", "3"]
        + maven(["-Djobserver.command=make -f recipes.mk LOG=" + log("fifo")]))
// the POM form: the command as a list of words, one of them with a space (the invoker filters only pom.xml)
def pomForm = new File(basedir, "pomform/pom.xml")
pomForm.text = pomForm.text.replace("@project.version@", version)
run("pom", [mvn, "-B", "-ntp", "-Dmaven.repo.local=" + repo, "-f", "pomform/pom.xml", "validate"])
// cargo as a FIFO client: six crates whose compiles and build scripts are logged, under 3 slots; cargo is
// looked for on PATH and where rustup puts it
def cargoDirs = System.getenv("PATH").split(":") + [System.getProperty("user.home") + "/.cargo/bin"]
def cargoDir = cargoDirs.find { new File(it, "cargo").canExecute() }
if (cargoDir != null) {
    def wrapper = new File(basedir, "crate/rustc-wrapper")
    wrapper.setExecutable(true)
    run("cargo", maven(["-Djobserver.jobs=3", "-Djobserver.style=fifo",
            "-Djobserver.command=cargo build --offline --manifest-path crate/Cargo.toml"]),
            ["WORK_LOG": log("cargo"), "RUSTC_WRAPPER": wrapper.absolutePath,
             "PATH": cargoDir + ":" + System.getenv("PATH")])
}
// the README's worked example (examples/serve), as a user runs it under make -j4, in a copy
def example = new File(basedir, "example")
def exampleSource = new File(basedir, "../../../../examples/serve").canonicalFile.toPath()
java.nio.file.Files.walk(exampleSource).each { from ->
    def to = example.toPath().resolve(exampleSource.relativize(from).toString())
    if (java.nio.file.Files.isDirectory(from)) {
        java.nio.file.Files.createDirectories(to)
    } else if (!from.fileName.toString().endsWith(".log")) {
        java.nio.file.Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
    }
}
run("example", ["make", "-j4", "-C", example.absolutePath, "MVN=" + mvn + " -ntp -Dmaven.repo.local=" + repo])
// A claim-all child (claim-all: every free token without waiting, as the kernel's jobserver-exec) sees the
// pool as it is: 4 of a new jobserver of 5, 4 under make -j5 without and with the extension; the relay
// (jobserver.relay=true) shows it 1
run("claim-new", maven(["-Djobserver.jobs=5", "-Djobserver.command=" + new File(basedir, "claim-all") + " true"]))
run("claim-relay", maven(["-Djobserver.jobs=5", "-Djobserver.relay=true",
        "-Djobserver.command=" + new File(basedir, "claim-all") + " true"]))
def withExt = new File(basedir, "withext/.mvn/extensions.xml")
withExt.text = withExt.text.replace("@project.version@", version)
def outerMake = { List<String> make, String name, List<String> args, Map<String, String> env = [:] ->
    run(name, make + ["-f", "outer.mk", "MVN=" + mvn, "REPO=" + repo, "GOAL=" + goal] + args, env)
}
outerMake(["make", "-j5"], "claim-make", ["claim"])
outerMake(["make", "-j5"], "claim-ext", ["claim", "DIR=" + new File(basedir, "withext")])

// The peers of 2026 (src/it/peers.sh; peers.txt records what ran, and .ci/run fails when these did not):
// GNU make 4.4.1 as serve's child (a FIFO client) and as the outer make (its FIFO passed on); ninja 1.13.2
// as a live client under a new jobserver and under make 4.3's pipe (given as fifo:/proc/PID/fd/R)
def peers = evaluate(new File(itLib, "peers.groovy"))
def make44 = peers.make44
def ninja113 = peers.ninja113
if (make44) {
    run("make44-child", maven(["-Djobserver.jobs=3", "-Djobserver.command=" + make44 + " -f recipes.mk LOG=" + log("make44-child")]))
    outerMake([make44, "-j3"], "make44-outer", ["LOG=" + log("make44-outer")])
    outerMake([make44, "-j5"], "make44-claim", ["claim"])
    outerMake([make44, "-j5"], "make44-claim-ext", ["claim", "DIR=" + new File(basedir, "withext")])
}
if (ninja113) {
    ["ninja-new", "ninja-pipe"].each { name ->
        new File(basedir, name).mkdirs()
        java.nio.file.Files.copy(new File(basedir, "ninja/build.ninja").toPath(), new File(basedir, name + "/build.ninja").toPath())
    }
    run("ninja-new", maven(["-Djobserver.jobs=3", "-Djobserver.command=" + ninja113 + " -C ninja-new"]),
            ["WORK_LOG": log("ninja-new")])
    outerMake(["make", "-j3"], "ninja-pipe", ["LOG=" + log("ninja-pipe"), "CHILD=" + ninja113 + " -C ninja-pipe"],
            ["WORK_LOG": log("ninja-pipe")])
}
new File(basedir, "peers.txt").text = "make44 " + (make44 ?: "none") + "\nninja113 " + (ninja113 ?: "none") + "\n" + jdk.record

// a child that fails, a command that does not exist, a child that outlives its timeout
run("failing", maven(["-Djobserver.command=sh -c 'echo failing now; exit 3'"]))
run("missing", maven(["-Djobserver.command=no-such-command-4711 all"]))
run("timeout", maven(["-Djobserver.timeout=2", "-Djobserver.command=make -f recipes.mk long"]))

// Ctrl-C: SIGINT reaches Maven while its child runs, under a FIFO jobserver that counts its tokens; every
// FIFO lives in a TMPDIR of this case's own, which must be empty afterwards. With itFaults (one Maven) also
// SIGTERM and SIGKILL; a SIGKILL'd Maven runs no code, so its guardian process stops the child's tree:
// what is left is recorded (NAME.left), then stopped here.
/** Our FIFO server of 3 slots runs Maven's serve of {@code make -f recipes.mk ARGS}, with a TMPDIR of its own. */
def served = { String name, String makeArgs, Closure<Boolean> started ->
    def tmp = new File(basedir, name + ".tmp")
    tmp.mkdirs()
    // a cell named ...-relay gives the child a relay (counted and made good) instead of the jobserver itself
    def relayed = name.endsWith("-relay") ? ["-Djobserver.relay=true"] : []
    def demo = child(name, [java, "-cp", extensionJar, "io.github.jobserver.cli.JobserverTool", "serve", "--fifo", "3"]
            + maven(relayed + ["-Djobserver.command=make -f recipes.mk " + makeArgs]), ["TMPDIR": tmp.absolutePath]).start()
    long deadline = System.nanoTime() + 120_000_000_000L
    while (!started() && demo.alive && System.nanoTime() < deadline) {
        Thread.sleep(50) // polls for the recipes' pid files, with a deadline
    }
    return [demo, tmp]
}
def running = evaluate(new File(itLib, "running.groovy")) // alive and not a zombie
def signalMaven = { String name, String signal ->
    def pidFile = new File(basedir, name + ".pid")
    def (demo, tmp) = served(name, "long PIDFILE=" + pidFile.absolutePath) { pidFile.exists() && pidFile.text.endsWith("\n") }
    def mavenJvm = demo.toHandle().children().findFirst().orElse(null)
    def family = mavenJvm == null ? [] : mavenJvm.descendants().collect()
    if (mavenJvm != null && pidFile.exists()) {
        ["kill", "-" + signal, mavenJvm.pid() as String].execute().waitFor()
    }
    demo.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)
    new File(basedir, name + ".exit").text = (demo.alive ? "running" : demo.exitValue()) + " 0\n"
    // after SIGKILL the guardian stops the child's tree while the server counts: give the tree a bounded
    // while to end (a relayed child does not hold the server's FIFO, so the count does not wait for it)
    long end = System.nanoTime() + 30_000_000_000L
    while (family.any { running(it) } && System.nanoTime() < end) {
        Thread.sleep(50) // polls a condition, bounded by the deadline
    }
    def left = family.findAll { running(it) }
    new File(basedir, name + ".left").text = "left " + left.collect { it.info().command().map { new File(it).name }.orElse("?") }.sort() +
            "; TMPDIR holds " + (tmp.list() as List).size() + "\n"
    left.each { it.destroyForcibly() }
}
signalMaven("ctrlc", "INT")

// The fault matrix's serve cells (itFaults: one Maven): a signal to serve's child, a make -j running three
// jobs on the 3 slots of our FIFO jobserver. INT goes to make and its jobs, as a terminal's Ctrl-C does to
// a process group (make waits for jobs it did not signal itself); TERM and KILL to make alone.
if (binding.hasVariable("itFaults")) {
    signalMaven("maven-term", "TERM")
    signalMaven("maven-kill", "KILL")
    signalMaven("maven-kill-relay", "KILL")
    ["child-int": "INT", "child-term": "TERM", "child-kill": "KILL", "child-kill-relay": "KILL"].each { name, signal ->
        def pids = new File(basedir, name + ".pids")
        def (server, cellTmp) = served(name, "hold PIDS=" + pids.absolutePath) { pids.exists() && pids.readLines().size() == 3 }
        assert pids.exists() && pids.readLines().size() == 3 : name + ": the three jobs never started"
        def make = server.toHandle().descendants().filter { h ->
            h.info().command().map { it.endsWith("/make") }.orElse(false)
        }.findFirst().get()
        def targets = [make.pid()] + (signal == "INT" ? make.children().collect { it.pid() } : [])
        (["kill", "-" + signal] + targets.collect { it as String }).execute().waitFor()
        server.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)
        new File(basedir, name + ".exit").text = (server.alive ? "running" : server.exitValue()) + " 0\n"
        new File(basedir, name + ".left").text = "TMPDIR holds " + (cellTmp.list() as List) + "\n"
    }
}
return true
