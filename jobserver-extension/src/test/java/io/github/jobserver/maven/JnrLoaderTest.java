package io.github.jobserver.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.aether.artifact.Artifact;
import org.junit.jupiter.api.Test;

class JnrLoaderTest {

    /** Where a local repository keeps an artifact's file, relative to its root. */
    private static String repositoryPath(Artifact a) {
        return a.getGroupId().replace('.', '/') + "/" + a.getArtifactId() + "/" + a.getVersion() + "/"
                + a.getArtifactId() + "-" + a.getVersion()
                + (a.getClassifier().isEmpty() ? "" : "-" + a.getClassifier())
                + "." + a.getExtension();
    }

    /**
     * The jars the extension adds at run time are exactly the jnr-posix tree this build resolved (and tested
     * the jnr back end with): a version bump that forgets jnr.properties fails here.
     */
    @Test
    void listedArtifactsAreTheJnrTreeOfThisBuild() {
        List<Artifact> listed = JnrLoader.artifacts();
        assertFalse(listed.isEmpty(), "jnr.properties is missing or empty");
        assertEquals("jnr-posix", listed.get(0).getArtifactId(), "jnr-posix comes first");
        Set<String> expected = new TreeSet<>();
        for (Artifact a : listed) {
            expected.add(repositoryPath(a));
        }
        Set<String> onClasspath = new TreeSet<>();
        String classpath = System.getProperty("jobserver.test.classes");
        assertFalse(classpath == null || classpath.isEmpty(), "surefire sets jobserver.test.classes");
        for (String entry : classpath.split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            for (String group : new String[] {"/com/github/jnr/", "/org/ow2/asm/"}) {
                int at = path.lastIndexOf(group);
                if (at >= 0) {
                    onClasspath.add(path.substring(at + 1));
                }
            }
        }
        assertEquals(expected, onClasspath);
    }
}
