// Real GNU make -j4 runs the Maven under test on this reactor, whose module "it" runs maven-invoker-plugin
// with parallelThreads 2 on four nested builds: one cell at a time, on one Maven only (itFaults).
import java.nio.file.*

if (!binding.hasVariable("itFaults")) {
    return true // the other executions only run the invoker's own validate (invoker.properties)
}
def mvn = new File(itMavenHome, "bin/mvn").absolutePath
// offline: REPO (this build's artifacts) first, then as its tail the repository of the Maven that runs these
// ITs (maven-invoker-plugin, antrun)
def tail = System.getProperty("maven.repo.local") ?: System.getProperty("user.home") + "/.m2/repository"

// the nested builds, n1..n4, made from the template it/nested: without the extension, and with it
def base = basedir.toPath()
def template = base.resolve("it/nested")
["plain", "ext"].each { variant ->
    (1..4).each { n ->
        def project = base.resolve("it/nested-" + variant + "/n" + n)
        Files.walk(template).each { p ->
            def dest = project.resolve(template.relativize(p).toString())
            if (Files.isDirectory(p)) {
                Files.createDirectories(dest)
            } else {
                dest.toFile().text = p.toFile().text.replace(">n0", ">n" + n)
            }
        }
        // a plain one has no .mvn, as most have none: the invoker gives its clone an empty one, so that it
        // is a root of its own and does not read this case's .mvn/extensions.xml (its clone lies below it)
        if (variant == "ext") {
            Files.createDirectories(project.resolve(".mvn"))
            Files.copy(base.resolve(".mvn/extensions.xml"), project.resolve(".mvn/extensions.xml"))
        }
    }
}

def seconds = new File(basedir, "seconds.txt")
seconds.text = ""
def runMake = { List<String> make, String cell ->
    def log = new File(basedir, cell + ".make.log")
    def pb = new ProcessBuilder(make + ["-j4", cell, "MVN=" + mvn, "REPO=" + localRepositoryPath.absolutePath, "TAIL=" + tail])
            .directory(basedir).redirectErrorStream(true).redirectOutput(log)
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    long start = System.nanoTime()
    def exit = pb.start().waitFor()
    seconds << cell + " " + Math.round((System.nanoTime() - start) / 1e9) + "\n"
    if (exit != 0) {
        throw new AssertionError(make.join(" ") + " -j4 " + cell + " exited " + exit + ":\n" + log.text)
    }
}
["pipe43", "off"].each { runMake(["make"], it) }
// GNU make 4.4.1 (src/it/peers.sh found or built it); peers.txt records whether these cells ran
def make44 = evaluate(new File(itLib, "peers.groovy")).make44
if (make44) {
    ["fifo441", "fifo441-plain", "fifo441-alone"].each { runMake([make44], it) }
}
new File(basedir, "peers.txt").text = "make44 " + (make44 ?: "none") + "\n"
return true
