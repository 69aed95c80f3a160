// Real GNU make -j4 -Otarget (each recipe's output whole, never interleaved) runs the Maven under test on
// this reactor, one scenario at a time.
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
    def pb = new ProcessBuilder("make", "-j4", "-Otarget", scenario, "MVN=" + mvn, "REPO=" + localRepositoryPath.absolutePath)
            .directory(basedir).redirectErrorStream(true).redirectOutput(new File(basedir, scenario + ".make.log"))
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    def exit = pb.start().waitFor()
    if (exit != 0) {
        throw new AssertionError("make " + scenario + " exited " + exit + ":\n" + new File(basedir, scenario + ".make.log").text)
    }
}
return true
