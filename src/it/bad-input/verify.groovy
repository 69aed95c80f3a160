// Every hostile case built with one clear warning and changed nothing; the invoker's own build stayed silent.
def build = new File(basedir, "build.log").text
assert build.contains("BUILD SUCCESS") && !(build =~ /(?m)^\[WARNING\].*jobserver/) : build
if (new File(basedir, "skipped.txt").exists()) {
    return true
}
def results = new File(basedir, "corpus/results.txt").readLines()
def failed = results.findAll { !it.startsWith("ok ") }
assert failed.isEmpty() : failed.join("\n")
def builds = new File(basedir, "corpus").listFiles().count { it.name.endsWith(".log") }
assert builds >= 30 : "only " + builds + " hostile set-ups"
assert results.any { it.startsWith("ok files unchanged") } : results.join("\n")
def socket = new File(basedir, "corpus/socket.txt").text
assert socket =~ /^[1-9]\d* connections, no bytes/ : "the socket case did not run: " + socket
return true
