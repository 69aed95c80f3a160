import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;

/**
 * Turns bench/run's raw logs (DIR/raw) into DIR/RESULTS.md and SVG charts: {@code java bench/Report.java DIR}
 * (DIR bench/results by default); it can be rerun on old raw logs. The report is the classes in bench/report/
 * (reading, model, markdown, SVG; {@code report.Main} says which is which). A single-file launch compiles
 * this file only (several files need JDK 22), so this launcher compiles bench/report/ into
 * bench/target/report and runs {@code report.Main} from there, keeping the one command.
 */
public final class Report {

    public static void main(String[] args) throws Throwable {
        // a single-file program's code source is its .java file (JEP 330)
        Path bench = Paths.get(Report.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        Path classes = bench.resolve("target").resolve("report");
        List<String> javac = new ArrayList<>(List.of("-d", classes.toString()));
        try (DirectoryStream<Path> sources = Files.newDirectoryStream(bench.resolve("report"), "*.java")) {
            for (Path source : sources) {
                javac.add(source.toString());
            }
        }
        if (ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(new String[0])) != 0) {
            System.exit(1); // javac has said why on stderr
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            loader.loadClass("report.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // the report's own failure, as if it had been run directly
        }
    }
}
