package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/FACTS.md, "Code on the start-up path": the classes that may run at every Maven start under make link no
 * lambda or method reference (an invokedynamic in the constant pool) and use no regex (java.util.regex, or
 * String's split, matches, replaceAll, replaceFirst). Read from the compiled classes, so it also sees what the
 * compiler made of the source.
 */
class StartupPathTest {
    private static final Path CLASSES = Paths.get("target/classes/io/github/jobserver");
    /** Packages that never run at a Maven start: the tool and the jnr back end (its own load costs far more). */
    private static final List<String> OFF_PATH_PACKAGES = Arrays.asList("cli/", "backend/jnr/");
    /** Protocol classes only `serve`, the tool and tests use. */
    private static final List<String> OFF_PATH_CLASSES =
            Arrays.asList("JobserverServer", "Relay", "RelayPump", "ClientLauncher");

    private static final List<String> REGEX_METHODS = Arrays.asList("split", "matches", "replaceAll", "replaceFirst");

    static boolean onPath(Path file) {
        String relative = CLASSES.relativize(file).toString();
        for (String pkg : OFF_PATH_PACKAGES) {
            if (relative.startsWith(pkg)) {
                return false;
            }
        }
        String outer = file.getFileName().toString().replaceFirst("[$.].*", "");
        return !OFF_PATH_CLASSES.contains(outer);
    }

    /** What in one class file breaks the rules: empty when nothing does. */
    static List<String> violations(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        assertEquals(0xCAFEBABE, in.readInt(), "not a class file");
        in.readInt(); // minor and major version
        int count = in.readUnsignedShort();
        Object[] utf8 = new Object[count];
        int[][] refs = new int[count][];
        List<String> found = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: // Utf8
                    utf8[i] = in.readUTF();
                    break;
                case 7: // Class
                case 8: // String
                case 16: // MethodType
                case 19: // Module
                case 20: // Package
                    refs[i] = new int[] {in.readUnsignedShort()};
                    break;
                case 15: // MethodHandle
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                    break;
                case 18: // InvokeDynamic: a lambda, a method reference (or an indy string concatenation)
                    in.readInt();
                    found.add("invokedynamic");
                    break;
                case 3: // Integer
                case 4: // Float
                case 17: // Dynamic
                    in.readInt();
                    break;
                case 9: // Fieldref
                case 10: // Methodref
                case 11: // InterfaceMethodref
                case 12: // NameAndType
                    refs[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
                    break;
                case 5: // Long
                case 6: // Double
                    in.readLong();
                    i++; // takes two entries
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag);
            }
        }
        for (int i = 1; i < count; i++) {
            if ("java/util/regex/Pattern".equals(utf8[i])) {
                found.add("java.util.regex.Pattern");
            }
            if (refs[i] != null && refs[i].length == 3 && refs[i][0] == 10) {
                String owner = (String) utf8[refs[refs[i][1]][0]];
                String name = (String) utf8[refs[refs[i][2]][1]];
                if ("java/lang/String".equals(owner) && REGEX_METHODS.contains(name)) {
                    found.add("String." + name);
                }
            }
        }
        return found;
    }

    @Test
    void classesOnTheStartUpPathLinkNoLambdaAndUseNoRegex() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CLASSES)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
        }
        assertTrue(files.size() > 40, "too few classes under " + CLASSES.toAbsolutePath() + ": " + files.size());
        Set<String> broken = new TreeSet<>();
        int checked = 0;
        for (Path file : files) {
            if (onPath(file)) {
                checked++;
                for (String what : violations(Files.readAllBytes(file))) {
                    broken.add(CLASSES.relativize(file) + ": " + what);
                }
            }
        }
        assertTrue(checked > 30, "too few classes on the start-up path: " + checked);
        assertEquals(new TreeSet<>(), broken, "docs/FACTS.md, \"Code on the start-up path\"");
    }

    @Test
    void theCheckSeesALambdaAndARegex() throws IOException {
        // classes of the off-path kind, known to hold each: the check must report them
        assertTrue(violations(classOf(StartupPathTest.class)).contains("invokedynamic")); // the walk's filter
        assertTrue(violations(classOf(StartupPathTest.class)).contains("String.replaceFirst"));
        assertEquals(Arrays.asList(), violations(classOf(Slot.class)));
    }

    private static byte[] classOf(Class<?> type) throws IOException {
        Path file = Paths.get(
                        type.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolve(type.getName().replace('.', '/') + ".class");
        return Files.readAllBytes(file);
    }
}
