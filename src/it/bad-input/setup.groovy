// Runs corpus.sh (hostile MAKEFLAGS and fds, one real Maven build each) with the Maven under test.
// The corpus takes ~2 minutes per Maven: the POM runs it on the oldest and the newest supported
// (scriptVariable itCorpus); the other executions only check that the invoker's own build is silent.
if (!binding.hasVariable("itCorpus")) {
    new File(basedir, "skipped.txt").text = "the corpus runs on the oldest and the newest Maven only\n"
    return true
}
def home = binding.hasVariable("itMavenHome") ? itMavenHome : System.getProperty("maven.home")
def mvn = new File(home, "bin/mvn").absolutePath
// a listener for the socket case; connections wait in its backlog, and nothing may ever arrive
def listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))
try {
    def pb = new ProcessBuilder("bash", "corpus.sh", mvn, localRepositoryPath.absolutePath,
            new File(basedir, "corpus").absolutePath, String.valueOf(listener.localPort))
            .directory(basedir).redirectErrorStream(true).redirectOutput(new File(basedir, "corpus.out"))
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"))
    def exit = pb.start().waitFor()
    assert exit == 0 : "corpus.sh exited " + exit + ": " + new File(basedir, "corpus.out").text
    listener.soTimeout = 1 // every connection the script made is already queued
    def connections = 0
    try {
        while (true) {
            def s = listener.accept()
            connections++
            s.soTimeout = 10_000
            def b = s.inputStream.read() // the script's end is closed: EOF at once unless bytes came
            assert b == -1 : "Maven wrote byte " + b + " to a socket it was handed as a jobserver"
            s.close()
        }
    } catch (SocketTimeoutException done) {
        // no more queued connections
    }
    new File(basedir, "corpus/socket.txt").text = connections + " connections, no bytes\n"
} finally {
    listener.close()
}
return true
