package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md: no source file names a package above its own (string literals aside). The
 * plugin's sources are read from the module beside this one: its jar sees only what extension.xml exports.
 */
class LayersTest {
    private static final Path SOURCES = Paths.get("src/main/java/io/github/jobserver");
    private static final Path PLUGIN_SOURCES =
            Paths.get("../jobserver-maven-plugin/src/main/java/io/github/jobserver/plugin");
    private static final Pattern NAMED =
            Pattern.compile("\\b(io\\.github\\.jobserver(?:\\.\\w+)*|org\\.apache\\.maven|jnr\\.[a-z]\\w*)\\.[A-Za-z]");

    /** What each layer must not name (as a package prefix), the protocol at the bottom. */
    private static List<String> forbidden(String pkg) {
        List<String> above = new ArrayList<>(Arrays.asList(
                "io.github.jobserver.maven",
                "io.github.jobserver.session",
                "io.github.jobserver.cli",
                "io.github.jobserver.backend",
                "org.apache.maven",
                "jnr"));
        switch (pkg) {
            case "io.github.jobserver":
                return above;
            case "io.github.jobserver.backend.proc":
                above.remove("io.github.jobserver.backend");
                return above; // jnr stays forbidden: the /proc back end loads nothing native
            case "io.github.jobserver.backend.jnr":
                above.remove("io.github.jobserver.backend");
                above.remove("jnr");
                return above;
            case "io.github.jobserver.cli":
            case "io.github.jobserver.session":
                above.remove(pkg);
                return above;
            case "io.github.jobserver.maven":
                return Arrays.asList("io.github.jobserver.cli", "io.github.jobserver.backend", "jnr");
            case "io.github.jobserver.plugin":
                // the top layer, in its own jar: the protocol and the session are all extension.xml exports
                above.remove("io.github.jobserver.session");
                above.remove("org.apache.maven");
                return above;
            default:
                throw new AssertionError("a package no layer of docs/ARCHITECTURE.md holds: " + pkg);
        }
    }

    @Test
    void noPackageNamesALayerAboveIt() throws IOException {
        assertEquals(new ArrayList<String>(), violations(SOURCES, 20));
    }

    @Test
    void thePluginNamesOnlyWhatTheExtensionExports() throws IOException {
        // a missing directory must fail, or a moved plugin would pass unchecked
        assertTrue(Files.isDirectory(PLUGIN_SOURCES), "no plugin sources at " + PLUGIN_SOURCES.toAbsolutePath());
        assertEquals(new ArrayList<String>(), violations(PLUGIN_SOURCES, 5));
    }

    /** Every name of a package above its own in the sources under {@code root}, which hold over {@code least}. */
    private static List<String> violations(Path root, int least) throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path file : all.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                files++;
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                String pkg = text.substring(text.indexOf("package ") + 8, text.indexOf(';', text.indexOf("package ")));
                List<String> banned = forbidden(pkg);
                // string literals are not arrows: Backends names the back ends it loads by class name
                String code = text.substring(text.indexOf(';') + 1).replaceAll("\"[^\"\n]*\"", "\"\"");
                Matcher m = NAMED.matcher(code);
                while (m.find()) {
                    String named = m.group(1);
                    for (String b : banned) {
                        if ((named + ".").startsWith(b + ".")) {
                            violations.add(root.relativize(file) + " (" + pkg + ") names " + named);
                        }
                    }
                }
            }
        }
        assertTrue(files > least, "no sources found under " + root.toAbsolutePath());
        return violations;
    }

    @Test
    void theCheckSeesAnArrowUpwards() {
        assertTrue(forbidden("io.github.jobserver").contains("io.github.jobserver.maven"));
        Matcher m = NAMED.matcher("import io.github.jobserver.maven.SlotQueue;");
        assertTrue(m.find());
        assertEquals("io.github.jobserver.maven", m.group(1));
        Matcher jnr = NAMED.matcher("import jnr.posix.POSIX; see jnr.properties}");
        assertTrue(jnr.find());
        assertEquals("jnr.posix", jnr.group(1));
        assertFalse(jnr.find(), "a file name is not a package");
        assertTrue(forbidden("io.github.jobserver.plugin").contains("io.github.jobserver.maven"));
        assertFalse(forbidden("io.github.jobserver.plugin").contains("io.github.jobserver.session"));
    }
}
