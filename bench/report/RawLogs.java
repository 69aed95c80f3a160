package report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what bench/run leaves in DIR/raw: the machine, every run's row and start/end log, the overheads. */
final class RawLogs {

    private RawLogs() {}

    static Bench read(Path raw) throws IOException {
        Map<String, String> machine = new LinkedHashMap<>();
        Map<String, Double> unit = new HashMap<>(); // seconds per item, by flavour
        Map<String, String[]> ranAlone = new HashMap<>();
        for (String line : Files.readAllLines(raw.resolve("machine.tsv"))) {
            String[] f = line.split("\t");
            if (f[0].equals("unit")) {
                unit.put(f[1], Long.parseLong(f[2]) / 1e9);
            } else if (f[0].equals("ran")) { // "ran SCENARIO DATE COMMAND": a later bench/run --only
                ranAlone.put(f[1], new String[] {f[2], f[3]});
            } else {
                machine.put(f[0], f.length > 1 ? f[1] : "");
            }
        }
        Bench bench = new Bench(machine, unit);
        bench.ranAlone.putAll(ranAlone);
        List<String> lines = Files.readAllLines(raw.resolve("runs.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            Run r = run(line.split("\t"));
            measure(r, raw.resolve(r.log));
            bench.runs.add(r);
        }
        bench.startup = Startup.read(raw.resolve("startup.txt"));
        bench.roundTrip = RoundTrip.parse(
                new String(Files.readAllBytes(raw.resolve("roundtrip.txt")), StandardCharsets.UTF_8));
        return bench;
    }

    /** One row of runs.tsv; the last two columns (memory, test JVMs) are missing in older runs. */
    private static Run run(String[] f) {
        Run r = new Run();
        r.scenario = f[0];
        r.flavour = f[1];
        r.variant = f[2];
        r.rep = Integer.parseInt(f[3]);
        r.n = Integer.parseInt(f[4]);
        r.t0 = Long.parseLong(f[5]);
        r.t1 = Long.parseLong(f[6]);
        r.exit = Integer.parseInt(f[7]);
        r.lost = f[8].equals("yes");
        r.log = f[9];
        r.items = Integer.parseInt(f[10]);
        r.chain = Integer.parseInt(f[11]);
        if (f.length > 13) {
            r.rssKb = Long.parseLong(f[12]);
            r.testJvms = Integer.parseInt(f[13]);
        }
        return r;
    }

    /** Reads a run's "start|end ITEM NS" lines into its items, each part's first start and the peak. */
    private static void measure(Run r, Path log) throws IOException {
        Map<String, Long> started = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.trim().split(" ");
            if (f.length != 3) {
                continue;
            }
            long t = Long.parseLong(f[2]);
            if (f[0].equals("start")) {
                started.put(f[1], t);
                String part = f[1].replaceAll("-.*", "");
                r.firstStart.merge(part, t, Math::min);
            } else if (f[0].equals("end") && started.containsKey(f[1])) {
                r.item(started.remove(f[1]), t);
            }
        }
        r.countPeak();
    }
}
