package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md stays true: it names every package and every class of both jars, and every class (or
 * {@code Class.member}) it names in code spans exists. A class added without a place on the map, or renamed
 * without the map, fails the build.
 */
class ArchitectureDocTest {
    private static final Path DOC = Paths.get("../docs/ARCHITECTURE.md");
    private static final List<Path> MAIN =
            Arrays.asList(Paths.get("src/main/java"), Paths.get("../jobserver-maven-plugin/src/main/java"));
    private static final List<Path> TESTS =
            Arrays.asList(Paths.get("src/test/java"), Paths.get("../jobserver-maven-plugin/src/test/java"));
    /** A code span that names a class, a nested class or a member: {@code Guardian.Route}, {@code Slot.close()}. */
    private static final Pattern CLASS_SPAN = Pattern.compile("`([A-Z][a-z]\\w*)((?:\\.\\w+)*)(?:\\(\\))?`");

    private static String doc() throws IOException {
        assertTrue(Files.isRegularFile(DOC), "no " + DOC.toAbsolutePath());
        return new String(Files.readAllBytes(DOC), StandardCharsets.UTF_8);
    }

    private static List<Path> javaFiles(List<Path> roots) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            assertTrue(Files.isDirectory(root), "no sources at " + root.toAbsolutePath());
            try (Stream<Path> walk = Files.walk(root)) {
                files.addAll(walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList()));
            }
        }
        return files;
    }

    private static String className(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }

    @Test
    void namesEveryPackageAndEveryClassOfBothJars() throws IOException {
        String doc = doc();
        Set<String> missing = new TreeSet<>();
        List<Path> files = javaFiles(MAIN);
        assertTrue(files.size() > 40, "too few sources found: " + files.size());
        for (Path file : files) {
            String pkg = file.getParent()
                    .toString()
                    .replaceFirst("^.*src/main/java/", "")
                    .replace('/', '.');
            if (!doc.contains("`" + pkg + "`") && !doc.contains("`" + pkg + "` ")) {
                missing.add("package " + pkg);
            }
            String name = className(file);
            if (!Pattern.compile("`" + name + "[`.(]").matcher(doc).find()) {
                missing.add(name);
            }
        }
        assertEquals(new TreeSet<>(), missing, "docs/ARCHITECTURE.md does not name these");
    }

    @Test
    void everyClassItNamesExists() throws IOException {
        Set<Path> all = new LinkedHashSet<>(javaFiles(MAIN));
        all.addAll(javaFiles(TESTS));
        StringBuilder sources = new StringBuilder();
        for (Path file : all) {
            sources.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))
                    .append('\n');
        }
        String code = sources.toString();
        Set<String> unknown = new TreeSet<>();
        Matcher m = CLASS_SPAN.matcher(doc());
        while (m.find()) {
            String type = m.group(1);
            if (!Pattern.compile("\\b(class|interface|enum) " + type + "\\b")
                    .matcher(code)
                    .find()) {
                unknown.add(m.group());
                continue;
            }
            for (String member : m.group(2).split("\\.")) {
                if (!member.isEmpty()
                        && !Pattern.compile("\\b" + member + "\\b")
                                .matcher(code)
                                .find()) {
                    unknown.add(m.group());
                }
            }
        }
        assertEquals(new TreeSet<>(), unknown, "docs/ARCHITECTURE.md names what the sources do not have");
    }
}
