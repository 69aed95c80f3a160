// Shared by the cases' setup scripts (evaluated: the value is this closure): whether a process still runs.
// A process that has ended but whose new parent (init, once its own parent was killed) has not reaped it
// yet is a zombie: ProcessHandle says it is alive, /proc/PID/stat says Z.
return { ProcessHandle h ->
    if (!h.alive) {
        return false
    }
    try {
        def stat = new File("/proc/" + h.pid() + "/stat").text
        return !stat.substring(stat.lastIndexOf(")") + 1).trim().startsWith("Z")
    } catch (IOException e) {
        return false // gone while we looked
    }
}
