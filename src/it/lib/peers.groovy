// Shared by the cases' setup scripts (evaluated: the value is this map): where src/it/peers.sh found GNU
// make >= 4.4, ninja >= 1.13, mvnd 1.x and 2.x, a JDK 25 and our FUSE tracking jobserver (built when FUSE
// works), each "" when it found none, from the file the plugin's POM names (itPeers).
def peers = new Properties()
if (binding.hasVariable("itPeers") && new File(itPeers).exists()) {
    new File(itPeers).withInputStream { peers.load(it) }
}
return ["make44": peers.getProperty("make44", ""), "ninja113": peers.getProperty("ninja113", ""),
        "mvnd1": peers.getProperty("mvnd1", ""), "mvnd2": peers.getProperty("mvnd2", ""),
        "jdk25": peers.getProperty("jdk25", ""), "tracking": peers.getProperty("tracking", "")]
