// jobserver:help lists the serve goal with its documented parameters
def log = new File(basedir, 'build.log').text
assert log.contains('jobserver:serve') : 'no serve goal in the help'
['command', 'jobs', 'style', 'relay', 'timeout'].each { p ->
    assert log =~ /(?m)^\s+${p}\b/ : "parameter ${p} is not described"
}
assert log.contains('User property: jobserver.command') : 'the user property of command is not shown'
assert log.contains('BUILD SUCCESS')
