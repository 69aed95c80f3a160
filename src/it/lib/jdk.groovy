// Shared by the cases' setup and verify scripts (evaluated: the value is this map): the JDK the case's
// Mavens and tools run on. An execution that passes itJdk (jdk25) names a peer src/it/peers.sh looked for;
// the others run on the invoker's own JDK. "record" is the peers.txt line (".ci/run" fails on "jdk25 none").
def wanted = binding.hasVariable("itJdk") ? itJdk : ""
def found = wanted ? evaluate(new File(itLib, "peers.groovy"))[wanted] : ""
def home = found ?: System.getProperty("java.home")
// verify: the case's Mavens ran on the JDK asked for (jdk.mvn.log, their "mvn -v"), and no log of the case
// holds a line of the JVM's own warnings ("WARNING: ...", as JDK 24+ prints for native access or
// sun.misc.Unsafe); returns what it checked, for results.txt
def verify = { File dir ->
    if (!found) {
        return ""
    }
    def version = new File(dir, "jdk.mvn.log").text
    def major = wanted.replace("jdk", "")
    assert version =~ /(?m)^Java version: ${major}[.\s]/ : version
    def warnings = []
    dir.eachFileRecurse(groovy.io.FileType.FILES) { f ->
        if (f.name.endsWith(".log")) {
            f.eachLine { line -> if (line.startsWith("WARNING: ")) warnings << f.name + ": " + line }
        }
    }
    assert warnings.isEmpty() : "the JVM warned:\n" + warnings.join("\n")
    return "on " + (version =~ /(?m)^Java version: [^,]+/)[0] + " (" + found + "): no JVM warning in any log\n"
}
return ["wanted": wanted, "found": found, "home": home, "java": new File(home, "bin/java").absolutePath,
        "record": wanted ? wanted + " " + (found ?: "none") + "\n" : "", "verify": verify]
