// Real GNU make -j4 runs the Maven under test on this reactor of forking test executions, one scenario at
// a time (the matrix executions pass itMavenHome; the default one runs this build's Maven).
def home = binding.hasVariable("itMavenHome") ? itMavenHome : System.getProperty("maven.home")
def mvn = new File(home, "bin/mvn").absolutePath
def extra = binding.hasVariable("itExtraScenarios") ? itExtraScenarios.split(",") as List : []
extra = extra.findAll { it == "concurrent" } // the extra scenarios this Makefile has (smart is under-make's)
// the variants of one module's forkCount run on one Maven (itFaults), the reactor's cases on all
def scenarios = ["forks", "off", "failing"] + (binding.hasVariable("itFaults") ? ["claim", "alone", "above", "cores", "one"] : []) + extra
scenarios.each { scenario ->
    def log = new File(basedir, scenario + ".make.log")
    def pb = new ProcessBuilder("make", "-j4", scenario, "MVN=" + mvn, "REPO=" + localRepositoryPath.absolutePath)
            .directory(basedir).redirectErrorStream(true).redirectOutput(log)
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    def exit = pb.start().waitFor()
    if (exit != 0) {
        throw new AssertionError("make " + scenario + " exited " + exit + ":\n" + log.text)
    }
}
// No make: the build as its own jobserver of 4 (-Djobserver.jobs=4) beside -T 4, with a TMPDIR of its own
// that must be empty afterwards (the private FIFO and its directory gone)
def ownTmp = new File(basedir, "own.tmp")
ownTmp.mkdirs()
def own = new ProcessBuilder(mvn, "-B", "-ntp", "-Dmaven.repo.local=" + localRepositoryPath.absolutePath,
        "-Dwork.log=" + new File(basedir, "own.work.log"), "-Djobserver.jobs=4", "-T", "4", "test")
        .directory(basedir).redirectErrorStream(true).redirectOutput(new File(basedir, "own.mvn.log"))
["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { own.environment().remove(it) }
own.environment().put("TMPDIR", ownTmp.absolutePath)
own.environment().put("MAVEN_OPTS", ((own.environment().get("MAVEN_OPTS") ?: "") + " -Djava.io.tmpdir=" + ownTmp.absolutePath).trim())
assert own.start().waitFor() == 0 : "own: " + new File(basedir, "own.mvn.log").text
new File(basedir, "own.left").text = (ownTmp.list() as List).toString()
// SIGTERM to Maven while one module's 4 forks run, each on a slot of our FIFO server of 4 (itFaults): the
// server counts its 3 tokens back (the forks' slots go back from the shutdown hook)
if (binding.hasVariable("itFaults")) {
    def java = new File(System.getProperty("java.home"), "bin/java").absolutePath
    def version = (new File(basedir, ".mvn/extensions.xml").text =~ /<version>([^<]+)<\/version>/)[0][1]
    def jar = new File(localRepositoryPath, "io/github/jobserver/jobserver-extension/" + version
            + "/jobserver-extension-" + version + ".jar").absolutePath
    def work = new File(basedir, "sigterm.work.log")
    def pb = new ProcessBuilder(java, "-cp", jar, "io.github.jobserver.cli.JobserverTool", "serve", "--fifo", "4", mvn, "-B", "-ntp",
            "-Dmaven.repo.local=" + localRepositoryPath.absolutePath, "-Dwork.log=" + work, "-pl", "f1", "-DforkCount=4", "test")
            .directory(basedir).redirectErrorStream(true).redirectOutput(new File(basedir, "sigterm.serve.log"))
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    def server = pb.start()
    long deadline = System.nanoTime() + 120_000_000_000L
    def started = { work.exists() ? work.readLines().count { it.startsWith("start ") } : 0 }
    while (started() < 4 && server.alive && System.nanoTime() < deadline) {
        Thread.sleep(50) // polls the test classes' own log, with a deadline
    }
    def jvm = server.toHandle().descendants().filter { h ->
        h.info().arguments().map { a -> a.any { it.contains("classworlds") } }.orElse(false)
    }.findFirst()
    assert started() == 4 && jvm.present : "the 4 forks never ran:\n" + new File(basedir, "sigterm.serve.log").text
    ["kill", "-TERM", jvm.get().pid() as String].execute().waitFor()
    assert server.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) : "the server did not end"
}
return true
