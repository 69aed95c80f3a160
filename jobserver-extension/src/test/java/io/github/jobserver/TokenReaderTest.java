package io.github.jobserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A try whose read is overtaken by its 10 ms grace. A real pipe cannot be made slow on cue, so the endpoint
 * here is scripted: its first read waits until the timeout closes it, as a loaded machine's first native read
 * can, and the byte it saw either stays (the read was late: the try looks again and takes it) or is gone
 * (another reader took it: the try gives up).
 */
@Timeout(60)
class TokenReaderTest {

    @Test
    void aTryOvertakenByItsGraceWhileTheByteStaysTakesIt() throws Exception {
        LateFirstRead endpoint = new LateFirstRead(true);
        try (Jobserver js = new Jobserver(JobserverAuth.fifo(Paths.get("/scripted")), endpoint)) {
            js.acquireImplicit();
            Optional<Slot> slot = js.tryAcquire();
            assertTrue(slot.isPresent(), "the byte was there all along");
            assertEquals(2, endpoint.opened.get(), "a second look after the late read");
            slot.get().close();
            assertEquals(Collections.singletonList((byte) '+'), endpoint.written, "given back once");
        }
    }

    @Test
    void aTryBeatenToTheByteGivesUp() throws Exception {
        LateFirstRead endpoint = new LateFirstRead(false);
        try (Jobserver js = new Jobserver(JobserverAuth.fifo(Paths.get("/scripted")), endpoint)) {
            js.acquireImplicit();
            assertFalse(js.tryAcquire().isPresent(), "another reader took it");
            assertEquals(2, endpoint.opened.get(), "one look after the timeout, and no read");
            assertEquals(0, js.tokensHeld());
        }
    }

    @Test
    void aTryOnAServerThatCannotCountReadsOnceForItsGrace() throws Exception {
        // a server in user space (a FUSE file, a character device): FIONREAD says nothing, so a try reads once
        // and a read still waiting at 10 ms means nothing is free (no second look); the next try reads again
        LateFirstRead endpoint = new LateFirstRead(true, -1);
        try (Jobserver js = new Jobserver(JobserverAuth.fifo(Paths.get("/scripted")), endpoint)) {
            js.acquireImplicit();
            assertFalse(js.tryAcquire().isPresent(), "its one read waited past the grace");
            assertEquals(1, endpoint.opened.get(), "no second look");
            Optional<Slot> slot = js.tryAcquire();
            assertTrue(slot.isPresent(), "the next try's read is answered");
            assertEquals(2, endpoint.opened.get());
            slot.get().close();
            assertEquals(Collections.singletonList((byte) '+'), endpoint.written, "given back once");
        }
    }

    /** Its first read ends only when closed (the timeout); later ones read '+' at once while the byte stays. */
    private static final class LateFirstRead implements Endpoint {
        final AtomicInteger opened = new AtomicInteger();
        final List<Byte> written = Collections.synchronizedList(new ArrayList<Byte>());
        private final boolean byteStays;
        private final int counted;
        private volatile boolean overtaken;

        LateFirstRead(boolean byteStays) {
            this(byteStays, 1);
        }

        /** {@code counted}: what available() says while the byte is there (-1: unknown). */
        LateFirstRead(boolean byteStays, int counted) {
            this.byteStays = byteStays;
            this.counted = counted;
        }

        @Override
        public ReadEnd openReadEnd() {
            final boolean late = opened.incrementAndGet() == 1;
            final CountDownLatch closed = new CountDownLatch(1);
            return new ReadEnd() {
                @Override
                public int available() {
                    return overtaken && !byteStays ? 0 : counted;
                }

                @Override
                public int read(ByteBuffer one) throws ClosedChannelException {
                    if (late) {
                        try {
                            closed.await();
                        } catch (InterruptedException e) {
                            throw new ClosedByInterruptException();
                        }
                        overtaken = true;
                        throw new ClosedChannelException();
                    }
                    one.put((byte) '+');
                    return 1;
                }

                @Override
                public void close() {
                    closed.countDown();
                }
            };
        }

        @Override
        public void write(byte token) {
            written.add(token);
        }

        @Override
        public void close() {}
    }
}
