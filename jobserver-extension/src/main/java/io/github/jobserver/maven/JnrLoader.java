package io.github.jobserver.maven;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.StringTokenizer;
import javax.inject.Provider;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.LocalRepositoryManager;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes jnr-posix loadable by the extension, only on the rare start that needs the portable back end (no
 * {@code /proc}, or {@code -Djobserver.backend=jnr}) and only under a jobserver. jnr is not a runtime
 * dependency of the extension because Maven loads every such jar at every start (bench/README.md). Here
 * Maven's resolver fetches the jars listed in {@code jnr.properties} (honouring offline mode, mirrors and
 * the local repository), or, where an extension gets no working resolver (Maven 3.10), they are taken
 * from the local repository; they then join the extension's class realm before any jnr class is linked.
 */
final class JnrLoader {
    private static final Logger LOG = LoggerFactory.getLogger(JnrLoader.class);
    /** A class of jnr-posix that the back end links against. */
    static final String PROBE = "jnr.posix.POSIXFactory";

    private JnrLoader() {}

    /** Null when jnr is loadable (already, or now); otherwise why not, in one line. */
    static String ensure(MavenSession session, Provider<RepositorySystem> system) {
        ClassLoader realm = JnrLoader.class.getClassLoader();
        if (loadable(realm)) {
            return null;
        }
        List<Artifact> artifacts = artifacts();
        if (artifacts.isEmpty()) {
            return "the extension jar lacks its list of jnr artifacts (io/github/jobserver/maven/jnr.properties)";
        }
        String what = artifacts.get(0).toString();
        Method addUrl;
        try {
            addUrl = realm.getClass().getMethod("addURL", URL.class); // public on Maven's ClassRealm
        } catch (NoSuchMethodException e) {
            return "cannot add " + what + " to the extension's class loader "
                    + realm.getClass().getName();
        }
        long start = System.nanoTime();
        RepositorySystemSession repositorySession = session.getRepositorySession();
        List<File> files;
        String source;
        try {
            files = resolve(system, repositorySession, artifacts, remotes(session));
            source = "resolved by Maven";
        } catch (ArtifactResolutionException e) {
            return "cannot resolve " + what + ": " + e.getMessage();
        } catch (RuntimeException e) {
            LOG.debug(
                    "jobserver: Maven's resolver is not usable from an extension here ({}); "
                            + "looking in the local repository",
                    e.toString());
            files = null;
            source = null;
        }
        if (files == null) {
            files = new ArrayList<>();
            LocalRepositoryManager local = repositorySession.getLocalRepositoryManager();
            for (Artifact artifact : artifacts) {
                File file = new File(local.getRepository().getBasedir(), local.getPathForLocalArtifact(artifact));
                if (!file.isFile()) {
                    return artifact + " is not in the local repository (" + file + "); fetch it with: mvn "
                            + "dependency:get -Dartifact=" + what;
                }
                files.add(file);
            }
            source = "from the local repository";
        }
        try {
            for (File file : files) {
                addUrl.invoke(realm, file.toURI().toURL());
            }
        } catch (IOException | IllegalAccessException | InvocationTargetException e) {
            return "cannot add " + what + " to the extension's class loader: " + e;
        }
        if (!loadable(realm)) {
            return what + " was added, but " + PROBE + " still cannot be loaded";
        }
        LOG.debug(
                "jobserver: loaded {} ({} jars, {}) for the portable back end in {} ms",
                what,
                files.size(),
                source,
                (System.nanoTime() - start) / 1_000_000);
        return null;
    }

    /** The jars through Maven's resolver; null when this Maven gives an extension no resolver. */
    private static List<File> resolve(
            Provider<RepositorySystem> system,
            RepositorySystemSession session,
            List<Artifact> artifacts,
            List<RemoteRepository> remotes)
            throws ArtifactResolutionException {
        RepositorySystem repositories = system.get();
        if (repositories == null) {
            return null;
        }
        List<ArtifactRequest> requests = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            requests.add(new ArtifactRequest(artifact, remotes, "jobserver"));
        }
        List<File> files = new ArrayList<>();
        for (ArtifactResult result : repositories.resolveArtifacts(session, requests)) {
            files.add(result.getArtifact().getFile());
        }
        return files;
    }

    private static List<RemoteRepository> remotes(MavenSession session) {
        MavenProject top = session.getTopLevelProject();
        return top != null ? top.getRemoteProjectRepositories() : Collections.<RemoteRepository>emptyList();
    }

    static boolean loadable(ClassLoader loader) {
        try {
            Class.forName(PROBE, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** jnr-posix and its runtime dependencies, jnr-posix first; empty when the list is missing. */
    static List<Artifact> artifacts() {
        List<Artifact> artifacts = new ArrayList<>();
        try (InputStream in = JnrLoader.class.getResourceAsStream("jnr.properties")) {
            if (in == null) {
                return artifacts;
            }
            Properties properties = new Properties();
            properties.load(in);
            StringTokenizer words = new StringTokenizer(properties.getProperty("artifacts", ""));
            while (words.hasMoreTokens()) {
                artifacts.add(new DefaultArtifact(words.nextToken()));
            }
        } catch (IOException | IllegalArgumentException e) {
            artifacts.clear();
        }
        return artifacts;
    }
}
