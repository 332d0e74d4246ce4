package dev.sipproxy.overload.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

public class OverloadStateTest {

    private final FakeClock clock = new FakeClock(1_000);
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final OverloadState state = new OverloadState(clock, TimeUnit.SECONDS.toNanos(2), new OverloadState.Listener() {
        @Override
        public void overloadStarted() {
            started.incrementAndGet();
        }

        @Override
        public void overloadEnded() {
            ended.incrementAndGet();
        }
    });

    @Test
    public void startsOnceAtTheFirstRejection() {
        assertFalse(state.overloaded());
        for (int i = 0; i < 1000; i++) {
            state.rejected();
            state.admitted();
            clock.advance(1, TimeUnit.MILLISECONDS);
        }
        assertTrue(state.overloaded());
        assertEquals(1, started.get());
        assertEquals(0, ended.get());
    }

    @Test
    public void endsOnceAfterTwoSecondsWithoutRejection() {
        state.rejected();
        clock.advance(1999, TimeUnit.MILLISECONDS);
        state.admitted();
        assertTrue(state.overloaded());
        assertEquals(0, ended.get());
        clock.advance(1, TimeUnit.MILLISECONDS);
        state.admitted(); // noticed lazily by the next admitted call
        state.admitted();
        state.check();
        assertFalse(state.overloaded());
        assertEquals(1, started.get());
        assertEquals(1, ended.get());

        // a new rejection is a new overload
        state.rejected();
        state.rejected();
        assertEquals(2, started.get());
        assertTrue(state.overloaded());
    }

    @Test
    public void aRejectionKeepsTheOverloadGoing() {
        state.rejected();
        for (int i = 0; i < 10; i++) {
            clock.advance(1500, TimeUnit.MILLISECONDS);
            state.rejected();
            state.check();
        }
        assertTrue(state.overloaded());
        assertEquals(1, started.get());
        assertEquals(0, ended.get());
    }

    @Test
    public void theEndIsSeenByACheckWhenNoCallsCome() {
        state.rejected();
        clock.advance(5, TimeUnit.SECONDS);
        state.check();
        assertEquals(1, ended.get());
        state.check();
        assertEquals(1, ended.get());
    }
}
