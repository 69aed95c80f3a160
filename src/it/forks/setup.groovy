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
