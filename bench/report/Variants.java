package report;

import java.util.LinkedHashMap;
import java.util.Map;

/** bench/run's scenarios and the variants each compares, with their names in the tables and charts. */
final class Variants {
    static final String[] SCENARIOS = {"A", "B", "F", "S"};
    static final String[] FLAVOURS = {"timed", "cpu"};
    private static final String[] A = {"t4", "t1", "claim", "dynamic"};
    private static final String[] B = {"exec-j4", "exec-serial", "serve"};
    private static final String[] F = {"t4", "dynamic"};
    private static final String[] S = {"t4", "jobs4", "auto"};
    private static final Map<String, String> LABEL = new LinkedHashMap<>();
    private static final Map<String, String> COMMAND = new LinkedHashMap<>();

    static {
        LABEL.put("t4", "mvn -T 4 (no extension)");
        LABEL.put("t1", "mvn -T 1 (no extension)");
        LABEL.put("claim", "extension, claim");
        LABEL.put("dynamic", "extension, dynamic");
        LABEL.put("exec-j4", "exec make -j4");
        LABEL.put("exec-serial", "exec make (serial)");
        LABEL.put("serve", "jobserver:serve make");
        LABEL.put("jobs4", "extension, jobserver.jobs=4");
        LABEL.put("auto", "extension, jobserver.jobs=auto");
        COMMAND.put("t4", "`make -j4` with a `+mvn -T 4 validate` rule per reactor, no `.mvn/extensions.xml`");
        COMMAND.put("t1", "the same with `mvn -T 1`");
        COMMAND.put("claim", "`+mvn -Djobserver.mode=claim validate`, the extension in `.mvn/extensions.xml`");
        COMMAND.put("dynamic", "`+mvn validate`, the extension in `.mvn/extensions.xml` (its default mode)");
        COMMAND.put("exec-j4", "`mvn -T 4 -P exec-j4 validate`: exec-maven-plugin runs `make -j4 -f ../part.mk` per module");
        COMMAND.put("exec-serial", "`mvn -T 4 -P exec-serial validate`: the same with `make -f ../part.mk`");
        COMMAND.put("serve", "`mvn -T 4 -P serve validate`: `jobserver:serve` runs `make -f ../part.mk` per module");
        COMMAND.put("F/t4", "`make -j4` with a `+mvn -T 4 test` rule, no `.mvn/extensions.xml`; surefire `forkCount=2`");
        COMMAND.put("F/dynamic", "`+mvn test`, the extension in `.mvn/extensions.xml`; surefire `forkCount=2`, lowered to the slots each execution holds");
        COMMAND.put("S/t4", "`mvn -T 4 test`, no make, no `.mvn/extensions.xml`; surefire `forkCount=2`");
        COMMAND.put("S/jobs4", "`mvn -T 4 -Djobserver.jobs=4 test`, no make, the extension in `.mvn/extensions.xml`: its own"
                + " jobserver of 4, from which each module and each test JVM takes a slot (`forkCount=2` lowered to the slots held)");
        COMMAND.put("S/auto", "the same with `-Djobserver.jobs=auto`: a jobserver of the processors the JVM sees");
    }

    private Variants() {}

    static String[] of(String scenario) {
        return scenario.equals("A") ? A : scenario.equals("B") ? B : scenario.equals("F") ? F : S;
    }

    static String label(String variant) {
        return LABEL.get(variant);
    }

    /** How {@code variant} runs in {@code scenario}, where that differs from the other scenarios. */
    static String command(String scenario, String variant) {
        return COMMAND.getOrDefault(scenario + "/" + variant, COMMAND.get(variant));
    }

    /** A variant where the extension or serve keeps the tree to the jobserver's limit (make's, or the build's own). */
    static boolean jobserver(String variant) {
        return variant.equals("claim") || variant.equals("dynamic") || variant.equals("serve") || variant.equals("jobs4")
                || variant.equals("auto");
    }

    /** A variant with targets of occupancy and makespan besides the peak. */
    static boolean targeted(String variant) {
        return variant.equals("dynamic") || variant.equals("serve");
    }
}
