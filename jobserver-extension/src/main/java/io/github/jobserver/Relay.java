package io.github.jobserver;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A jobserver for one child whose tokens are slots borrowed from a parent jobserver as the child uses them,
 * so the child's whole tree stays inside the parent's limit and what the tree loses can be counted and
 * made good.
 *
 * <p>The child sees a FIFO of its own (so a FIFO-only client such as ninja can sit under make 4.3's pipe,
 * and a pipe can reach a make 4.3 child as descriptors). A pump thread ({@link RelayPump}) keeps one borrowed token ready in it:
 * when a client takes it (FIONREAD shows 0) the pump borrows the next slot from the parent, and when clients
 * put more back than that one, the surplus goes back to the parent. The relay therefore holds at most one
 * parent slot that nobody uses, and never more slots than the parent gave it.
 *
 * <p>{@link #finish()} stops the pump after the child has ended and counts the relay's pool: every slot
 * borrowed goes back to the parent, byte for byte as read, whether or not the child's tree returned its
 * token (a grandchild killed while holding one), so the parent's pool stays whole; the {@link Outcome}
 * says what was missing. Bytes the child wrote beyond what it was lent are dropped, never passed up.
 */
public final class Relay implements Closeable {
    private final Jobserver parent;
    private final JobserverServer pool;
    private final Jobserver reader;
    private final Slot readerOwnSlot;
    private final RelayPump pump;
    private final Object finishing = new Object();
    private Outcome outcome;

    private Relay(Jobserver parent, JobserverServer pool, Jobserver reader, Slot readerOwnSlot) {
        this.parent = parent;
        this.pool = pool;
        this.reader = reader;
        this.readerOwnSlot = readerOwnSlot;
        this.pump = new RelayPump(parent, pool, reader);
    }

    /** Starts a relay over {@code parent} with its FIFO under {@code $TMPDIR}. */
    public static Relay start(Jobserver parent) throws IOException {
        return start(parent, JobserverServer.temporaryDirectory(System.getenv()));
    }

    /** Starts a relay over {@code parent} with its FIFO in a new private directory under {@code tmp}. */
    public static Relay start(Jobserver parent, Path tmp) throws IOException {
        JobserverServer pool = JobserverServer.create(1, tmp);
        Lookup lookup = Jobserver.connect(pool.auth());
        if (!lookup.jobserver().isPresent()) {
            pool.close();
            throw new IOException("cannot read the relay's own FIFO: " + lookup.absence());
        }
        Jobserver reader = lookup.jobserver().get().withoutGuardian(); // its pool dies with this JVM
        // The reader only ever takes bytes out of the pool; its implicit slot is held so that every
        // tryAcquire() below reads a real byte.
        Slot own = reader.tryAcquire().orElseThrow(IllegalStateException::new);
        Relay relay = new Relay(parent, pool, reader, own);
        try {
            relay.pump.lendFirst();
        } catch (IOException | RuntimeException e) {
            relay.finish();
            throw e;
        }
        relay.pump.start();
        return relay;
    }

    /** What the child is given: the relay's FIFO. */
    public JobserverAuth auth() {
        return pool.auth();
    }

    /** The parent the slots come from. */
    public Jobserver parent() {
        return parent;
    }

    /**
     * Stops the pump and counts the pool; call after the child (and what it started) has ended. Every
     * borrowed slot goes back to the parent. Idempotent: a second call returns the first outcome.
     */
    public Outcome finish() {
        synchronized (finishing) {
            if (outcome == null) {
                outcome = stopAndCount();
            }
            return outcome;
        }
    }

    private Outcome stopAndCount() {
        boolean interrupted = pump.stop();
        List<String> problems = new ArrayList<>();
        if (pump.problem() != null) {
            problems.add(pump.problem());
        }
        readerOwnSlot.close();
        try {
            reader.close();
        } catch (IOException e) {
            problems.add("closing the relay's reader: " + e.getMessage());
        }
        int back;
        try {
            back = pool.closeAndCount().available();
        } catch (IOException e) {
            back = 0;
            problems.add("counting the relay's pool: " + e.getMessage());
        }
        // the pump has ended (joined above): what it borrowed and its counts are this thread's now
        Deque<Slot> borrowed = pump.borrowed();
        int lent = borrowed.size();
        for (Slot slot; (slot = borrowed.poll()) != null; ) {
            try {
                slot.close();
            } catch (UncheckedIOException e) {
                problems.add(e.getMessage());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new Outcome(lent, back, pump.dropped(), pump.mostBorrowed(), problems);
    }

    @Override
    public void close() {
        finish();
    }

    @Override
    public String toString() {
        return "relay " + pool.fifo() + " over " + parent.auth();
    }

    /** What a relay counted when its child had ended. */
    public static final class Outcome {
        private final int lent;
        private final int back;
        private final int dropped;
        private final int mostBorrowed;
        private final List<String> problems;

        Outcome(int lent, int back, int dropped, int mostBorrowed, List<String> problems) {
            this.lent = lent;
            this.back = back;
            this.dropped = dropped;
            this.mostBorrowed = mostBorrowed;
            this.problems = problems;
        }

        /** Slots borrowed from the parent and still out when the child ended (all given back since). */
        public int lent() {
            return lent;
        }

        /** Tokens that were back in the relay's pool. */
        public int back() {
            return back;
        }

        /** Tokens the child's tree kept: lent but not back. The parent got them back all the same. */
        public int missing() {
            return Math.max(0, lent - back);
        }

        /** Bytes the child wrote beyond what it was lent, while it ran and at the end; all dropped. */
        public int invented() {
            return dropped + Math.max(0, back - lent);
        }

        /** The most slots borrowed at once. */
        public int mostBorrowed() {
            return mostBorrowed;
        }

        /** What went wrong on the way (the parent at EOF, a write back that failed); empty normally. */
        public List<String> problems() {
            return problems;
        }

        public boolean whole() {
            return lent == back && dropped == 0 && problems.isEmpty();
        }

        /**
         * In make's words at exit when not whole (lower-case, so never mistaken for make itself):
         * {@code exiting with 1 jobserver tokens available; should be 2!}.
         */
        @Override
        public String toString() {
            return lent == back
                    ? "all " + lent + " relayed tokens returned"
                    : JobserverServer.Report.shortfall(back, lent);
        }
    }
}
