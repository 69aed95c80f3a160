// Real GNU make -j4 runs the Maven under test on four modules, each of which starts make -f native.mk as a
// child (exec:exec, antrun's exec task). The cells run on one Maven only (itFaults); the other executions
// run the invoker's own validate. The child's peak is measured in every cell and asserted where it is stable.
if (!binding.hasVariable("itFaults")) {
    return true
}
def mvn = new File(itMavenHome, "bin/mvn").absolutePath
def runMake = { List<String> make, String cell ->
    def log = new File(basedir, cell + ".make.log")
    def pb = new ProcessBuilder(make + ["-j4", cell, "MVN=" + mvn, "REPO=" + localRepositoryPath.absolutePath])
            .directory(basedir).redirectErrorStream(true).redirectOutput(log)
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    def exit = pb.start().waitFor()
    if (exit != 0) {
        throw new AssertionError(make.join(" ") + " " + cell + " exited " + exit + ":\n" + log.text)
    }
}
// the system make (4.3 here): its jobserver is a pipe
["exec", "antrun", "jobs"].each { runMake(["make"], it) }
// GNU make 4.4.1's FIFO (src/it/peers.sh; peers.txt records whether it ran, and .ci/run fails when it did not)
def make44 = evaluate(new File(itLib, "peers.groovy")).make44
if (make44) {
    ["fifo", "fifo-jobs"].each { runMake([make44, "--jobserver-style=fifo"], it) }
}
new File(basedir, "peers.txt").text = "make44 " + (make44 ?: "none") + "\n"
return true
