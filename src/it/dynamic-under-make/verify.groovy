static int peak(File log) {
    int running = 0, peak = 0
    log.eachLine { line ->
        running += line.startsWith("start ") ? 1 : line.startsWith("end ") ? -1 : 0
        peak = Math.max(peak, running)
    }
    assert running == 0 : "unbalanced " + log.text
    return peak
}

def make = new File(basedir, "make.log").text
assert make.contains("[INFO] jobserver: make -j4 (pipe 3,4), dynamic, up to 4 threads (make -j4)") : make
assert make.contains("Using the MultiThreadedBuilder implementation with a thread count of 4") : make
assert make.contains("BUILD SUCCESS") : make
assert !make.contains("INTERNAL: Exiting with") : "make counted lost tokens:\n" + make
def work = new File(basedir, "make-work.log")
assert work.readLines().count { it.startsWith("end ") } == 7
assert peak(work) == 4 : "7 independent modules under make -j4 must run exactly 4 at a time:\n" + work.text

// Not under make: not a word from the extension, one thread.
def build = new File(basedir, "build.log").text
assert !(build =~ /(?m)^\[(INFO|WARNING|ERROR)\] jobserver/) : build
assert !build.contains("MultiThreadedBuilder") : build
assert peak(new File(basedir, "work.log")) == 1
return true
