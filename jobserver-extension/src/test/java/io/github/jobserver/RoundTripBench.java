package io.github.jobserver;

import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Measures the client's cold start (first connect + acquire + release in a fresh JVM, class loading
 * included) and the acquire+release round trip of one token, against a bare read+write syscall pair
 * on the same kind of description, for a pipe and for a FIFO. Not a test: run it as bench/README says.
 */
public final class RoundTripBench {

    private RoundTripBench() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (RealPipe pipe = RealPipe.open()) {
            pipe.put("+++");
            long t0 = System.nanoTime();
            Jobserver js = Jobserver.connect(pipe.auth()).jobserver().get();
            Slot implicit = js.acquire();
            js.acquire().close();
            long cold = System.nanoTime() - t0;
            System.out.printf("cold start (connect + first token acquire/release, fresh JVM): %.2f ms%n", cold / 1e6);
            report(
                    "pipe",
                    js,
                    Paths.get("/proc/self/fd/" + pipe.readFd),
                    Paths.get("/proc/self/fd/" + pipe.writeFd),
                    iterations);
            implicit.close();
            js.close();
        }
        Path dir = java.nio.file.Files.createTempDirectory("rt");
        try (JobserverServer server = JobserverServer.create(4, dir);
                Jobserver js = Jobserver.connect(server.auth()).jobserver().get();
                Jobserver unguarded =
                        Jobserver.connect(server.auth()).jobserver().get().withoutGuardian()) {
            Slot implicit = js.acquire();
            report("fifo", js, server.fifo(), server.fifo(), iterations);
            implicit.close();
            Slot other = unguarded.acquire();
            report("fifo, no guardian", unguarded, server.fifo(), server.fifo(), iterations);
            other.close();
            killWindow(server.fifo(), Math.min(iterations, 200_000));
        } finally {
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    /**
     * The moments a SIGKILL can still lose a token (docs/GUARANTEES.md): from a token's read to the end of
     * its ledger line ({@code took}), and from the start of the ledger line that strikes it off to the end of
     * its write back ({@code givingBack} plus the write). Each timed alone, on a real guardian and FIFO.
     */
    private static void killWindow(Path fifo, int samples) throws Exception {
        long[] took = new long[samples];
        long[] back = new long[samples];
        try (Guardian guardian = Guardian.start(fifo.toString());
                FileChannel out = FileChannel.open(fifo, StandardOpenOption.WRITE);
                FileInputStream in = new FileInputStream(fifo.toFile())) {
            FileChannel read = in.getChannel();
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            for (int i = 0; i < samples; i++) {
                one.clear();
                read.read(one); // the token is read: the window opens
                long t0 = System.nanoTime();
                guardian.took(one.get(0));
                took[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                guardian.givingBack(one.get(0));
                one.flip();
                out.write(one);
                back[i] = System.nanoTime() - t0;
            }
        }
        System.out.println(
                "kill window, " + samples + " token moves on a FIFO (ns; median, p99, p99.9, max): after the read "
                        + percentiles(took) + "; before the write back " + percentiles(back));
    }

    private static String percentiles(long[] ns) {
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return sorted[n / 2] + ", " + sorted[(int) (n * 0.99)] + ", " + sorted[(int) (n * 0.999)] + ", "
                + sorted[n - 1];
    }

    private static void report(String kind, Jobserver js, Path readPath, Path writePath, int iterations)
            throws Exception {
        double[] client = new double[5];
        double[] bare = new double[5];
        try (FileInputStream in = new FileInputStream(readPath.toFile());
                FileChannel out = FileChannel.open(writePath, StandardOpenOption.WRITE)) {
            FileChannel read = in.getChannel();
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            for (int round = 0; round < client.length; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < iterations; i++) {
                    js.acquire().close();
                }
                client[round] = (System.nanoTime() - t0) / (double) iterations;
                t0 = System.nanoTime();
                for (int i = 0; i < iterations; i++) {
                    one.clear();
                    read.read(one);
                    one.flip();
                    out.write(one);
                }
                bare[round] = (System.nanoTime() - t0) / (double) iterations;
            }
        }
        Arrays.sort(client);
        Arrays.sort(bare);
        System.out.printf(
                "%s: acquire+release %.0f ns/op (median of 5 x %d; min %.0f), bare read+write %.0f ns/op"
                        + " (min %.0f): ratio %.2f%n",
                kind, client[2], iterations, client[0], bare[2], bare[0], client[2] / bare[2]);
    }
}
