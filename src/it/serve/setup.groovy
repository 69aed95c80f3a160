// Runs jobserver:serve in each case, logging every work item's start and end with a timestamp.
def home = binding.hasVariable("itMavenHome") ? itMavenHome : System.getProperty("maven.home")
def mvn = new File(home, "bin/mvn").absolutePath
def version = (new File(basedir, "pom.xml").text =~ /<jobserver.plugin.version>([^<]+)</)[0][1]
def goal = "io.github.jobserver:jobserver-maven-plugin:" + version + ":serve"
def repo = localRepositoryPath.absolutePath
def java = new File(System.getProperty("java.home"), "bin/java").absolutePath
def extensionJar = new File(localRepositoryPath, "io/github/jobserver/jobserver-extension/" + version
        + "/jobserver-extension-" + version + ".jar").absolutePath
def log = { String name -> new File(basedir, name + ".work.log").absolutePath }

def run = { String name, List<String> command ->
    def pb = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true)
            .redirectOutput(new File(basedir, name + ".log"))
    ["MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS", "MAKELEVEL"].each { pb.environment().remove(it) }
    long start = System.nanoTime()
    int exit = pb.start().waitFor()
    new File(basedir, name + ".exit").text = exit + " " + (System.nanoTime() - start) / 1_000_000 + "\n"
}
def maven = { List<String> args -> [mvn, "-B", "-ntp", "-Dmaven.repo.local=" + repo, goal] + args }

// a new jobserver of 3 slots for eight one-second recipes
run("jobs3", maven(["-Djobserver.jobs=3", "-Djobserver.command=make -f recipes.mk LOG=" + log("jobs3")]))
// under an outer make -j3 that runs three jobs of its own: the child joins make's jobserver
run("outer", ["make", "-j3", "-f", "outer.mk", "MVN=" + mvn, "REPO=" + repo, "GOAL=" + goal, "LOG=" + log("outer")])
// under a FIFO jobserver (as make 4.4 makes one): the make-4.3 child gets it as descriptors
run("fifo", [java, "-cp", extensionJar, "io.github.jobserver.Demo", "serve", "--fifo", "3"]
        + maven(["-Djobserver.command=make -f recipes.mk LOG=" + log("fifo")]))
// the POM form: the command as a list of words, one of them with a space (the invoker filters only pom.xml)
def pomForm = new File(basedir, "pomform/pom.xml")
pomForm.text = pomForm.text.replace("@project.version@", version)
run("pom", [mvn, "-B", "-ntp", "-Dmaven.repo.local=" + repo, "-f", "pomform/pom.xml", "validate"])
// a child that fails, a command that does not exist, a child that outlives its timeout
run("failing", maven(["-Djobserver.command=sh -c 'echo failing now; exit 3'"]))
run("missing", maven(["-Djobserver.command=no-such-command-4711 all"]))
run("timeout", maven(["-Djobserver.timeout=2", "-Djobserver.command=make -f recipes.mk long"]))
return true
