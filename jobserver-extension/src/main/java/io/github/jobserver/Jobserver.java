package io.github.jobserver;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of a GNU make jobserver (the reader and writer of its tokens).
 *
 * <p>Get one with {@link #fromEnvironment(Map)} or {@link #connect(JobserverAuth)}; both prove the
 * descriptors or FIFO are really a jobserver before touching them and otherwise answer why not. Then
 * {@link #acquire()} a {@link Slot} per job and close it when the job ends. The first slot handed out is
 * the process's {@link ImplicitSlot}; further ones are {@link Token}s read from the jobserver.
 *
 * <p>Waiting is cancellable three ways, none of which can lose or invent a token: a timeout,
 * {@link Thread#interrupt()} of the waiting thread, and {@link #cancelWaiting()} from any thread. Each
 * waiting thread reads on its own private description, and cancelling closes that description; a byte
 * read in the same instant is still handed over (or written back). EOF on the jobserver is an error,
 * never a retry loop. Descriptions shared with make are never read through and their flags never changed.
 *
 * <p>Platform: Linux reads {@code /proc/self/fd} in plain Java (nothing native is loaded).
 */
public final class Jobserver implements Closeable {

    /**
     * How long {@link #tryAcquire()} may wait when FIONREAD saw a byte that another reader took first, and how
     * long its one read waits on a server in user space, whose FIONREAD says nothing.
     */
    static final long TRY_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final JobserverAuth auth;
    private final Endpoint endpoint;
    private final AtomicBoolean implicitFree = new AtomicBoolean(true);
    private final TokenReader reader;
    private final AtomicInteger tokensHeld = new AtomicInteger();
    /** Reads in progress: each may still yield a token, so the endpoint stays open until they end. */
    private final AtomicInteger reading = new AtomicInteger();

    private final Ledger ledger;
    private final AtomicBoolean endpointClosed = new AtomicBoolean();
    private volatile boolean closed;

    Jobserver(JobserverAuth auth, Endpoint endpoint) {
        this.auth = auth;
        this.endpoint = endpoint;
        this.reader = new TokenReader(this, endpoint);
        this.ledger = new Ledger(auth, endpoint);
    }

    /**
     * Whether this process talks to a jobserver through jnr-posix (no {@code /proc/self/fd}, or
     * {@code -Djobserver.backend=jnr}) rather than plain Java. A host that keeps jnr off its class path
     * (the Maven extension) makes it loadable before the first {@link #connect}; nothing is loaded here.
     */
    public static boolean needsJnr() {
        return Backends.jnrSelected();
    }

    /** Connects to the jobserver advertised in this process's environment, if there is a usable one. */
    public static Lookup fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Connects to the jobserver advertised in CARGO_MAKEFLAGS, MAKEFLAGS or MFLAGS of {@code env}. */
    public static Lookup fromEnvironment(Map<String, String> env) {
        return fromFlags(MakeFlags.fromEnvironment(env));
    }

    /** Connects to the jobserver that already parsed flags advertise, or says why there is none. */
    public static Lookup fromFlags(MakeFlags flags) {
        Optional<JobserverAuth> auth = flags.auth();
        return auth.isPresent() ? connect(flags, auth.get()) : Lookup.absent(flags, flags.absence());
    }

    /** Proves {@code auth} is a usable jobserver and connects to it, or says why not. Never throws. */
    public static Lookup connect(JobserverAuth auth) {
        return connect(null, auth);
    }

    private static Lookup connect(MakeFlags flags, JobserverAuth auth) {
        try {
            return Lookup.found(flags, new Jobserver(auth, Backends.current().open(auth)));
        } catch (NoJobserverException e) {
            return Lookup.absent(flags, e.absence());
        } catch (IOException | RuntimeException e) {
            return Lookup.absent(
                    flags,
                    new NoJobserver(NoJobserver.Reason.CANNOT_OPEN, "cannot open " + auth + ": " + e.getMessage()));
        }
    }

    /** Where this jobserver lives. */
    public JobserverAuth auth() {
        return auth;
    }

    /**
     * Waits for a slot: the implicit one if it is free, otherwise a token.
     *
     * @throws InterruptedException when the thread is interrupted while waiting (no token is kept)
     * @throws CancellationException when {@link #cancelWaiting()} or {@link #close()} stopped the wait
     * @throws EOFException when the jobserver's pipe reached EOF (its server is gone)
     */
    public Slot acquire() throws IOException, InterruptedException {
        Slot implicit = takeImplicitSlot();
        return implicit != null ? implicit : readToken(-1, false);
    }

    /** Like {@link #acquire()} but gives up after {@code timeout}; empty when it did. */
    public Optional<Slot> acquire(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        Slot implicit = takeImplicitSlot();
        return Optional.ofNullable(implicit != null ? implicit : readToken(Math.max(0, unit.toNanos(timeout)), false));
    }

    /**
     * A slot if one is free right now: the implicit slot, or a token when the jobserver holds one. Does
     * not wait, except up to 10 ms when another process took the byte this one saw, and up to 200 ms in all
     * when this machine is too loaded to finish reading a byte that is there. A jobserver served from user
     * space (a character device, a FUSE file) cannot say beforehand whether a byte is there: it is read once,
     * for up to 10 ms.
     */
    public Optional<Slot> tryAcquire() throws IOException {
        Slot implicit = takeImplicitSlot();
        if (implicit != null) {
            return Optional.of(implicit);
        }
        try {
            return Optional.ofNullable(readToken(TRY_GRACE_NANOS, true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Every slot free right now, up to {@code max}: {@link #tryAcquire()} until none is. Each slot is added to
     * {@code into} as it is taken, so when a read fails part-way the caller still holds (and gives back) those
     * taken before it. Used wherever a build takes what is free without waiting: claim mode, forks, the tool.
     *
     * @return how many were taken
     */
    public int tryAcquireAll(List<Slot> into, int max) throws IOException {
        int taken = 0;
        for (Optional<Slot> slot; taken < max && (slot = tryAcquire()).isPresent(); taken++) {
            into.add(slot.get());
        }
        return taken;
    }

    /** The implicit slot if it is free; never reads the jobserver. */
    public Optional<Slot> acquireImplicit() throws IOException {
        return Optional.ofNullable(takeImplicitSlot());
    }

    /** True when the implicit slot is not handed out. */
    public boolean implicitSlotFree() {
        return implicitFree.get();
    }

    /**
     * Why the tokens this client reads are not guarded against this JVM's sudden death (SIGKILL, the OOM
     * killer), or empty when they are (or no token was read yet). See {@link Guardian}.
     */
    public Optional<String> unguarded() {
        return Optional.ofNullable(ledger.unguarded());
    }

    /** Turns the guardian off for this client: a pool of this JVM's own, which dies with it. */
    public Jobserver withoutGuardian() {
        ledger.turnOff();
        return this;
    }

    /** Tokens read from the jobserver and not yet given back. */
    public int tokensHeld() {
        return tokensHeld.get();
    }

    /** Stops every wait in progress; each throws {@link CancellationException}. Returns how many. */
    public int cancelWaiting() {
        return reader.cancel();
    }

    /**
     * Stops the wait in progress on {@code thread}, if any: it throws {@link CancellationException}, or
     * returns its token when one was read in the same instant. Other threads' waits go on. Returns how
     * many waits it stopped (0 when the thread was not reading yet: this does not stop a later wait).
     */
    public int cancelWaiting(Thread thread) {
        return reader.cancel(thread);
    }

    /**
     * Stops waits and new acquisitions. Tokens still held can and must still be closed: the write path
     * stays open until the last one is back. Descriptors inherited from make are never closed.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        reader.close();
        closeEndpointIfUnused();
    }

    /**
     * Closes the endpoint once it is closed, no token is out and no read is in progress (a read stopped
     * in the same instant as it took a byte still needs the write path). Whoever ends last gets here:
     * close(), the last giveBack() or the last read. {@code reading} is checked before
     * {@code tokensHeld}: a read counts its token before it stops counting itself.
     */
    private void closeEndpointIfUnused() throws IOException {
        if (closed && reading.get() == 0 && tokensHeld.get() == 0) {
            closeEndpoint();
        }
    }

    /**
     * Closes the endpoint once: close() and the last giveBack() after it can both get here, and a raw
     * descriptor closed twice could close a number another part of the JVM has reused since.
     */
    private void closeEndpoint() throws IOException {
        if (endpointClosed.compareAndSet(false, true)) {
            ledger.close(); // nothing is held: the guardian exits without a write
            endpoint.close();
        }
    }

    private Slot takeImplicitSlot() throws IOException {
        ensureOpen();
        return implicitFree.compareAndSet(true, false) ? new ImplicitSlot(this) : null;
    }

    void giveBackImplicit() {
        implicitFree.set(true);
    }

    void giveBack(Token token) throws IOException {
        try {
            ledger.givingBack(token.value()); // struck off first
            endpoint.write(token.value());
        } finally {
            tokensHeld.decrementAndGet();
            closeEndpointIfUnused();
        }
    }

    /** A token kept by its holder (a {@link Relay} consuming a byte of its own pool): no longer held. */
    void forget(Token token) {
        ledger.givingBack(token.value());
        tokensHeld.decrementAndGet();
        try {
            closeEndpointIfUnused();
        } catch (IOException ignored) {
            // nothing is written on this path, so nothing can be lost
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("jobserver client for " + auth + " is closed");
        }
    }

    /** Reads one token (see {@link TokenReader#read}), counted so that close() leaves the endpoint open meanwhile. */
    private Token readToken(long timeoutNanos, boolean onlyIfAvailable) throws IOException, InterruptedException {
        // counted before the closed check: close() either sees this read or this read sees close()
        reading.incrementAndGet();
        try {
            ensureOpen();
            ledger.start(); // before the first byte is read, so that byte is listed
            return reader.read(timeoutNanos, onlyIfAvailable);
        } finally {
            reading.decrementAndGet();
            closeEndpointIfUnused();
        }
    }

    /** A byte the reader has just read: a token held from now on, listed with the guardian. */
    Token took(byte value) {
        tokensHeld.incrementAndGet();
        ledger.took(value); // listed once read
        return new Token(this, value);
    }

    @Override
    public String toString() {
        return "jobserver " + auth + " (" + tokensHeld() + " tokens held)";
    }
}
