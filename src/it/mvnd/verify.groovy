// mvnd under make: the FIFO joined on every build of a warm daemon (peak 4 of 4 for 5 modules, failing builds too), make's
// pipe refused with a WARN that says what is true (no '+' advice), nothing said outside make, nothing left.
if (binding.hasVariable("itMavenHome")) {
    return true // the matrix executions do not run mvnd (see setup.groovy)
}
def peak = evaluate(new File(itLib, "peak.groovy"))
def peers = evaluate(new File(itLib, "peers.groovy"))
def text = { String name -> new File(basedir, name).text }
["mvnd1", "mvnd2"].findAll { peers[it] && peers.make44 }.each { key ->
    ["first", "again", "failure"].each { scenario ->
        def make = text(key + "-fifo-" + scenario + ".make.log")
        def mvn = text(key + "-fifo-" + scenario + ".mvn.log")
        assert !make.contains("INTERNAL: Exiting") : key + " " + scenario + " lost a token:\n" + make
        assert mvn =~ /\[INFO\] jobserver: make -j4 \(fifo [^)]+\), dynamic, up to 4 at once \([^)]+\)/ : key + " " + scenario + ":\n" + mvn
        assert !mvn.contains("[WARNING] jobserver") : key + " " + scenario + " warned:\n" + mvn
        int p = peak(new File(basedir, key + "-fifo-" + scenario + ".work.log"))
        assert p == 4 : key + " " + scenario + ": peak " + p + " under make -j4 (5 modules)"
        if (scenario == "failure") {
            assert mvn.contains("work item m2 failed on purpose") && mvn.contains("BUILD FAILURE") : mvn
        } else {
            assert mvn.contains("BUILD SUCCESS") : mvn
        }
    }
    // mvnd passed -T 3 by itself (mvnd.minThreads=3): not a cap, the limit is make's; a user's -T 2 is one
    def auto = text(key + "-fifo-auto.mvn.log")
    assert auto.contains("dynamic, up to 4 at once (4 modules can build at once)") && !auto.contains("(-T 3)") : auto
    assert peak(new File(basedir, key + "-fifo-auto.work.log")) == 4
    def asked = text(key + "-fifo-asked.mvn.log")
    assert asked.contains("dynamic, up to 2 at once (-T 2)") : asked
    assert peak(new File(basedir, key + "-fifo-asked.work.log")) == 2
    def pipeMake = text(key + "-pipe-first.make.log")
    def pipe = text(key + "-pipe-first.mvn.log")
    assert !pipeMake.contains("INTERNAL: Exiting") : pipeMake
    def warns = pipe.readLines().findAll { it.contains("[WARNING] jobserver") }
    assert warns.size() == 1 : key + " pipe: " + warns
    assert warns[0].contains("jobserver unavailable: using -j1. (make's pipe (fds 3,4) was given to the mvnd client, not to this process;") : warns[0]
    assert !pipe.contains("Add '+'") : key + ": the + is there; the advice would be wrong:\n" + pipe
    assert pipe.contains("BUILD SUCCESS") : pipe
    assert peak(new File(basedir, key + "-pipe-first.work.log")) == 1 : key + ": -j1, as make would"
    def outside = text(key + "-outside.mvn.log")
    assert !(outside =~ /\[(INFO|WARNING)\] jobserver/) : key + " spoke outside make:\n" + outside
    assert outside.contains("BUILD SUCCESS") : outside
}
assert text("daemons-left.txt").trim() == "0" : "mvnd daemons still running after --stop"
return true
