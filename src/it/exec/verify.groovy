// What a make started by a Java child process gets under each jobserver, and the extension's one line.
if (!new File(basedir, "exec.make.log").exists()) {
    return true // not the execution that runs the cells (itFaults)
}
def peak = evaluate(new File(itLib, "peak.groovy")) // the most native jobs at once, by a work log
def text = { String name -> new File(basedir, name).text }
def ends = { String cell -> new File(basedir, cell + ".work.log").readLines().count { it.startsWith("end ") } }
def line = { String goal -> "[WARNING] jobserver: " + goal + "'s commands cannot reach make's jobserver, a pipe" }
def lines = { String log -> log.readLines().count { it.contains("'s commands cannot reach make's jobserver") } }
def results = new File(basedir, "results.txt")
results.text = ""
def cell = { String name, String what ->
    def log = text(name + ".make.log")
    assert log.contains("BUILD SUCCESS") : log
    assert !log.contains("INTERNAL: Exiting with") : "make counted lost tokens:\n" + log
    assert ends(name) == 16 : text(name + ".work.log")
    def top = peak(new File(basedir, name + ".work.log"))
    results << name + ": " + what + ": peak " + top + " native jobs of 4 allowed; the line " + lines(log) + "x\n"
    return [log, top]
}

// make 4.3's pipe, exec:exec of a plain make: the child cannot open the pipe and runs -j1 (make's own
// misleading advice), the extension's line once for the build (four executions), at most 4 at once
def (exec, execPeak) = cell("exec", "make 4.3 -j4 (pipe), exec:exec of make")
assert exec.contains("jobserver unavailable: using -j1") : exec
assert exec.contains(line("exec:exec")) : exec
assert lines(exec) == 1 : exec
assert execPeak <= 4

// antrun's exec task: the same child, the same line naming antrun:run (exec:exec is skipped: no line for it)
def (antrun, antrunPeak) = cell("antrun", "make 4.3 -j4 (pipe), antrun's exec of make")
assert antrun.contains(line("antrun:run")) : antrun
assert antrun.contains("jobserver unavailable: using -j1") : antrun
assert lines(antrun) == 1 : antrun
assert antrunPeak <= 4

// the child's own -j4 leaves the jobserver: measured, not limited
def (jobs, jobsPeak) = cell("jobs", "make 4.3 -j4 (pipe), exec:exec of make -j4")
assert lines(jobs) == 1 : jobs
assert jobs.contains("-j4 forced in submake: resetting jobserver mode") : jobs

// make 4.4.1's FIFO: the child opens it by its path and joins; no line
if (new File(basedir, "fifo.make.log").exists()) {
    def (fifo, fifoPeak) = cell("fifo", "make 4.4.1 -j4 --jobserver-style=fifo, exec:exec of make")
    assert lines(fifo) == 0 : fifo
    assert !fifo.contains("jobserver unavailable") : fifo
    assert fifoPeak <= 4
    def (fifoJobs, fifoJobsPeak) = cell("fifo-jobs", "make 4.4.1 -j4 --jobserver-style=fifo, exec:exec of make -j4")
    assert lines(fifoJobs) == 0 : fifoJobs
    assert fifoJobs.contains("-j4 forced in submake: resetting jobserver mode") : fifoJobs
}
text("results.txt").eachLine { println it }
return true
