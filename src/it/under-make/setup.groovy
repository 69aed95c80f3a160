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

def extra = binding.hasVariable("itExtraScenarios") ? itExtraScenarios.split(",") as List : []
(["dynamic", "two", "noplus", "claim", "failure"] + extra).each { scenario ->
    def pb = new ProcessBuilder("make", "-j4", scenario, "MVN=" + mvn, "REPO=" + localRepositoryPath.absolutePath)
            .directory(basedir).redirectErrorStream(true).redirectOutput(new File(basedir, scenario + ".make.log"))
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    def exit = pb.start().waitFor()
    if (exit != 0) {
        throw new AssertionError("make " + scenario + " exited " + exit + ":\n" + new File(basedir, scenario + ".make.log").text)
    }
}

// Our own FIFO jobserver (as make 4.4 makes one) runs Maven and counts the tokens at the end:
// a clean build, then SIGTERM and SIGINT (Ctrl-C) sent to the Maven JVM in the middle of a module.
def version = (new File(basedir, ".mvn/extensions.xml").text =~ /<version>([^<]+)<\/version>/)[0][1]
def jar = new File(localRepositoryPath, "io/github/jobserver/jobserver-extension/" + version
        + "/jobserver-extension-" + version + ".jar").absolutePath
def java = new File(System.getProperty("java.home"), "bin/java").absolutePath
def serve = { String name, String signal ->
    def log = new File(basedir, name + ".work.log")
    def pb = new ProcessBuilder(java, "-cp", jar, "io.github.jobserver.Demo", "serve", "--fifo", "4",
            mvn, "-B", "-ntp", "-Dmaven.repo.local=" + localRepositoryPath.absolutePath, "-Dwork.log=" + log,
            "-Dwork.ms=" + (signal ? "8000" : "1000"), "validate")
            .directory(basedir).redirectErrorStream(true).redirectOutput(new File(basedir, name + ".serve.log"))
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    def server = pb.start()
    if (signal) {
        // wait (bounded) until the parent and 4 modules have started, i.e. Maven holds 3 tokens, then signal it
        long deadline = System.nanoTime() + 120_000_000_000L
        while (!(log.exists() && log.readLines().count { it.startsWith("start ") } >= 5) && server.alive
                && System.nanoTime() < deadline) {
            Thread.sleep(100)
        }
        assert log.readLines().count { it.startsWith("start ") } == 5 && log.readLines().count { it.startsWith("end ") } == 1 :
                "expected 4 modules running at the signal: " + log.text
        def jvm = server.toHandle().descendants().filter { it.info().command().orElse("").endsWith("/java") }.findFirst()
        assert jvm.present : "no Maven JVM under the server"
        new ProcessBuilder("kill", "-" + signal, String.valueOf(jvm.get().pid())).inheritIO().start().waitFor()
    }
    server.waitFor()
}
serve("fifo", null)
serve("sigterm", "TERM")
serve("sigint", "INT")
return true
