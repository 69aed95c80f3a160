// Shared by the cases' verify scripts (evaluated: the value is this closure): the most work items that ran
// at once by a work log's own "start ..." and "end ..." lines, in the order they were appended.
return { File log ->
    int running = 0, peak = 0
    log.eachLine { line ->
        running += line.startsWith("start ") ? 1 : line.startsWith("end ") ? -1 : 0
        peak = Math.max(peak, running)
    }
    assert running == 0 : "unbalanced " + log.text
    return peak
}
