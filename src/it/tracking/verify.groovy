// setup.groovy ran the cells and asserted each; here only that it recorded whether they ran.
if (binding.hasVariable("itFaults")) {
    assert new File(basedir, "peers.txt").exists() : "setup.groovy recorded nothing"
}
return true
