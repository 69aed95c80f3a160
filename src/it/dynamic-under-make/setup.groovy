// Real GNU make -j4 runs the invoker's own Maven on this reactor through a '+' rule.
def mvn = new File(System.getProperty("maven.home"), "bin/mvn").absolutePath
def pb = new ProcessBuilder("make", "-j4", "MVN=" + mvn, "REPO=" + localRepositoryPath.absolutePath)
        .directory(basedir).redirectErrorStream(true).redirectOutput(new File(basedir, "make.log"))
["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
def exit = pb.start().waitFor()
if (exit != 0) {
    throw new AssertionError("make exited " + exit + ":\n" + new File(basedir, "make.log").text)
}
return true
