// Reads what setup.groovy's cells left: make's logs, the one work log of each cell (this reactor's three
// 8 s items and the nested builds' eight 1 s items) and the nested builds' own logs.
if (!new File(basedir, "peers.txt").exists()) {
    return true // not the execution that runs the cells (itFaults)
}
def peak = evaluate(new File(itLib, "peak.groovy")) // the most work items at once, by a work log
def text = { String name -> new File(basedir, name).text }
def work = { String cell -> new File(basedir, cell + ".work.log") }
def ends = { String cell, String prefix -> work(cell).readLines().count { it.startsWith("end " + prefix) } }
def seconds = text("seconds.txt").readLines().collectEntries { it.split(" ") as List }
def nested = { String cell, int n, String name -> new File(basedir, "it/target/" + cell + "/n" + n + "/" + name) }
def nestedLogs = { String cell -> (1..4).collect { nested(cell, it, "build.log").text } }
// a nested build without .mvn: the invoker gave its clone an empty one, so the clone (below this case's
// .mvn/extensions.xml) is a root of its own and built without the extension
def plain = { String cell, List<String> logs ->
    (1..4).each { n ->
        def mvnDir = nested(cell, n, ".mvn")
        assert mvnDir.directory && mvnDir.list().length == 0 : mvnDir
    }
    logs.each { assert !it.contains("jobserver:") : it }
}
def results = new File(basedir, "results.txt")
results.text = ""

// a limited cell: make's jobserver holds the whole build, the invoker's nested builds included
def limited = { String cell, int outer ->
    def log = text(cell + ".make.log")
    assert log.contains("BUILD SUCCESS") : log
    assert !log.contains("INTERNAL: Exiting with") : "make counted lost tokens:\n" + log
    assert !log.contains("forced in submake") : log
    // the invoker execution holds a slot per nested build it runs at once, never more than parallelThreads
    def line = (log =~ /(?m)^\[INFO\] jobserver: invoker:run of it forks up to (\d) builds?/
            + /(?: \(parallelThreads 2; no other slot was free\))?, holding (\d) slots?$/).collect { it }
    assert line.size() == 1 : "no invoker line:\n" + log
    assert line[0][1] == line[0][2] && (line[0][1] as int) in 1..2 : line[0][0]
    assert ends(cell, "a") == outer && ends(cell, "n") == 8 : "not every work item ran:\n" + work(cell).text
    def top = peak(work(cell))
    assert top <= 4 && top >= 2 : cell + ": peak " + top + " of 4:\n" + work(cell).text
    results << cell + ": peak " + top + " of 4, invoker held " + line[0][2] + ", " + seconds[cell] + " s\n"
    return nestedLogs(cell)
}

// make 4.3's pipe: the nested builds do not have the extension (they could not open the pipe)
plain("pipe43", limited("pipe43", 3))
// what a build does today: -T 4 and no part in the jobserver (measured and recorded, not limited)
def off = text("off.make.log")
assert off.contains("BUILD SUCCESS") : off
assert !off.contains("jobserver: invoker:run") : off
assert ends("off", "n") == 8 : work("off").text
results << "off (-T 4, jobserver.mode=off): peak " + peak(work("off")) + " of 4, " + seconds["off"] + " s\n"

// GNU make 4.4.1 (peers.txt says whether src/it/peers.sh found one; .ci/run fails when it did not)
if (!text("peers.txt").startsWith("make44 none")) {
    // the nested builds with the extension join make's FIFO, each on the slot its invoker thread holds
    limited("fifo441", 3).each { assert it =~ /\[INFO\] jobserver: make -j4 \(fifo [^)]*\), dynamic/ : it }
    plain("fifo441-plain", limited("fifo441-plain", 3))
    // the invoker's module alone: it holds a slot for each of its two builds, which run at once
    def alone = limited("fifo441-alone", 0)
    def aloneLog = text("fifo441-alone.make.log")
    assert aloneLog.contains("[INFO] jobserver: invoker:run of it forks up to 2 builds, holding 2 slots") : aloneLog
    def running = [] as Set, builds = 0 // the nested builds with an item running, by their items' names (n1-x)
    work("fifo441-alone").eachLine { line ->
        def (what, item) = line.split(" ")
        what == "start" ? running.add(item) : running.remove(item)
        builds = Math.max(builds, running.collect { it.split("-")[0] }.unique().size())
    }
    assert builds == 2 : work("fifo441-alone").text
    alone.each { assert it =~ /\[INFO\] jobserver: make -j4 \(fifo [^)]*\), dynamic/ : it }
}
text("results.txt").eachLine { println it }
return true
