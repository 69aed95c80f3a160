// Real GNU make -j4 runs the Maven under test on this reactor of forking test executions, one scenario at
// a time (the matrix executions pass itMavenHome; the default one runs this build's Maven).
def home = binding.hasVariable("itMavenHome") ? itMavenHome : System.getProperty("maven.home")
def mvn = new File(home, "bin/mvn").absolutePath
def extra = binding.hasVariable("itExtraScenarios") ? itExtraScenarios.split(",") as List : []
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
return true
