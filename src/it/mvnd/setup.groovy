// The real Maven daemon under real GNU make: mvnd 1.0.6 (Maven 3.9) and 2.0.0-rc-3 (Maven 4), unpacked by
// src/it/peers.sh from the distributions built from source beside the tools. Each daemon is started and
// reused across scenarios (under make 4.4.1's FIFO, twice and failing; under its pipe style; outside make),
// with a private daemon storage, and stopped at the end. verify.groovy checks the logs.
def peers = evaluate(new File(itLib, "peers.groovy"))
def record = new File(basedir, "peers.txt")
if (binding.hasVariable("itMavenHome")) {
    record.text = "" // a matrix execution: mvnd brings its own Maven, so its cases run on the default one only
    return true
}
def javaHome = System.getProperty("java.home")
def storage = new File(basedir, "daemons").absolutePath
def repo = localRepositoryPath.absolutePath
def run = { List<String> command, File log ->
    def pb = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true).redirectOutput(log)
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    pb.environment().put("JAVA_HOME", javaHome)
    pb.environment().put("MVND_CLIENT", "jvm")
    def p = pb.start()
    if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
        p.toHandle().descendants().each { it.destroyForcibly() }
        p.destroyForcibly()
        throw new AssertionError(command.join(" ") + " did not end within 300 s:\n" + log.text)
    }
    return p.exitValue()
}
def lines = []
["mvnd1", "mvnd2"].each { key ->
    def mvnd = peers[key]
    lines << key + " " + (mvnd ?: "none")
    if (!mvnd || !peers.make44) {
        return
    }
    def client = mvnd + " -Dmvnd.daemonStorage=" + storage
    try {
        // make 4.4.1's FIFO: a cold daemon, the same daemon again, a failing build, mvnd's -T and a user's
        ["first", "again", "failure", "auto", "asked"].each { scenario ->
            def log = new File(basedir, key + "-fifo-" + scenario + ".make.log")
            int exit = run([peers.make44, "-j4", scenario, "MVND=" + client, "REPO=" + repo, "RUN=" + key + "-fifo-"], log)
            assert exit == 0 : key + " fifo " + scenario + " exited " + exit + ":\n" + log.text
        }
        // its pipe style: the + rule is given fds 3,4, which name the client's descriptors
        def log = new File(basedir, key + "-pipe-first.make.log")
        int exit = run([peers.make44, "--jobserver-style=pipe", "-j4", "first", "MVND=" + client, "REPO=" + repo,
                "RUN=" + key + "-pipe-"], log)
        assert exit == 0 : key + " pipe exited " + exit + ":\n" + log.text
        // outside make, the daemons that ran under make build once more
        def outside = new File(basedir, key + "-outside.mvn.log")
        exit = run((client.split(" ") as List) + ["-B", "-ntp", "-Dmaven.repo.local=" + repo,
                "-Dwork.log=" + new File(basedir, key + "-outside.work.log").absolutePath, "validate"], outside)
        assert exit == 0 : key + " outside make exited " + exit + ":\n" + outside.text
    } finally {
        run((client.split(" ") as List) + ["--stop"], new File(basedir, key + "-stop.log"))
    }
}
record.text = lines.join("\n") + "\n"
// no daemon of ours is left: each one's command line names the private storage
def left = ProcessHandle.allProcesses().filter { h ->
    h.info().arguments().map { a -> a.any { it.contains(storage) } }.orElse(false)
}.count()
new File(basedir, "daemons-left.txt").text = left + "\n"
return true
