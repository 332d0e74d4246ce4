package dev.sipproxy.overload.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

public class OverloadControlTest {

    private final FakeClock clock = new FakeClock(0);

    private OverloadControl control(Map<String, Object> properties) {
        return new OverloadControl(properties, clock, TimeUnit.SECONDS.toNanos(2), false);
    }

    private static Map<String, Object> config(Object rate, Object burst, Object retryAfter) {
        Map<String, Object> m = new HashMap<>();
        m.put("component.name", "dev.sipproxy.overload.internal.OverloadControl");
        if (rate != null) {
            m.put("overload-ctrl-dialog-rate", rate);
        }
        if (burst != null) {
            m.put("overload-ctrl-burst", burst);
        }
        if (retryAfter != null) {
            m.put("overload-retry-after", retryAfter);
        }
        return m;
    }

    private static int admit(OverloadControl c, int calls) {
        int admitted = 0;
        for (int i = 0; i < calls; i++) {
            if (c.admitNewDialog()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    public void withoutConfigurationEverythingIsAdmittedAndCounted() {
        OverloadControl c = control(Map.of());
        assertEquals(100_000, admit(c, 100_000));
        assertEquals(100_000, c.admittedDialogs());
        assertEquals(0, c.rejectedDialogs());
        assertEquals(0, c.dialogRateLimit());
        assertEquals(5, c.retryAfterSeconds());
        assertFalse(c.overloaded());
    }

    @Test
    public void countersCount() {
        OverloadControl c = control(config("10", "1", "7"));
        assertEquals(1, admit(c, 5));
        clock.advance(100, TimeUnit.MILLISECONDS);
        assertEquals(1, admit(c, 3));
        assertEquals(2, c.admittedDialogs());
        assertEquals(6, c.rejectedDialogs());
        assertEquals(7, c.retryAfterSeconds());
        assertEquals(10, c.dialogRateLimit());
    }

    @Test
    public void theBurstIsATenthOfASecondUnlessConfigured() {
        assertEquals(50, admit(control(config(500, null, null)), 1000));
        assertEquals(1, admit(control(config(5, null, null)), 1000));
        assertEquals(3, admit(control(config(500, 3, null)), 1000));
    }

    @Test
    public void overloadComesWithTheFirstRejectionAndGoesTwoSecondsAfterTheLast() {
        OverloadControl c = control(config(100, 10, null));
        admit(c, 10);
        assertFalse(c.overloaded());
        admit(c, 1000);
        assertTrue(c.overloaded());
        clock.advance(1, TimeUnit.SECONDS);
        assertTrue(c.overloaded());
        clock.advance(1, TimeUnit.SECONDS);
        c.check();
        assertFalse(c.overloaded());
    }

    @Test
    public void aConfigurationChangeAppliesToTheNextCall() {
        OverloadControl c = control(config(1000, 100, null));
        assertEquals(100, admit(c, 1000));
        c.modified(config(0, null, 9));
        assertEquals(0, c.dialogRateLimit());
        assertEquals(9, c.retryAfterSeconds());
        assertEquals(1000, admit(c, 1000));
        c.modified(config(20, 2, null));
        assertEquals(20, c.dialogRateLimit());
        assertEquals(2, admit(c, 1000));
    }

    @Test
    public void aBadValueKeepsTheLastGoodSettings() {
        OverloadControl c = control(config(20, 2, 3));
        for (Map<String, Object> bad : List.of(config("many", null, null), config(-1, null, null),
                config(20, -5, null), config(20, 2, 4000), config(2_000_000, null, null))) {
            c.modified(bad);
            assertEquals(20, c.dialogRateLimit());
            assertEquals(3, c.retryAfterSeconds());
        }
        assertEquals(2, admit(c, 1000));
    }

    @Test
    public void aBadInitialConfigurationMeansTheDefaults() {
        OverloadControl c = control(config("x", null, null));
        assertEquals(0, c.dialogRateLimit());
        assertEquals(1000, admit(c, 1000));
    }

    @Test
    public void behindNewDialogsAreLimitedToWhatWasAdmittedAndTheRestRefusedAndCounted() {
        OverloadControl c = control(Map.of());
        c.sampleBacklog(0, 0);
        assertEquals(1000, admit(c, 1000)); // 1000 in the last second
        for (int i = 0; i < AdaptiveDialogRate.ONSET_SAMPLES; i++) { // over the limit for as many samples as are averaged
            c.sampleBacklog(300, 0);
        }
        assertTrue(c.behind());
        assertTrue(c.overloaded());
        assertEquals(300, c.receiveBacklogMillis());
        assertEquals("seven tenths of what was admitted", 700, c.adaptiveRateLimit());
        assertEquals("a tenth of a second's worth at once", 70, admit(c, 1000));
        assertEquals(930, c.rejectedDialogs());
        for (int i = 0; i < 50; i++) { // 2.5 s caught up, nothing offered
            clock.advance(50, TimeUnit.MILLISECONDS);
            c.sampleBacklog(0, 0);
        }
        assertFalse(c.behind());
        assertFalse(c.overloaded());
        assertEquals(0, c.adaptiveRateLimit());
        assertEquals(1000, admit(c, 1000));
    }

    @Test
    public void dialogsCountedBeforeTheFirstSampleAreNotTakenForTheLastSecondsRate() {
        // as after a restart of the bundle, whose counters start from the previous run's
        OverloadControl c = control(Map.of());
        assertEquals(5000, admit(c, 5000));
        for (int i = 0; i < AdaptiveDialogRate.ONSET_SAMPLES; i++) {
            c.sampleBacklog(300, 0);
        }
        assertTrue(c.behind());
        assertEquals("none admitted since sampling began: the lowest rate, not 3500", AdaptiveDialogRate.MIN_RATE,
                c.adaptiveRateLimit());
    }

    @Test
    public void theQueueDelayLimitIsConfigurableAndZeroTurnsItOff() {
        OverloadControl c = control(Map.of());
        c.sampleBacklog(249, 0);
        assertFalse("default limit 250 ms", c.behind());
        Map<String, Object> m = config(null, null, null);
        m.put("overload-ctrl-max-queue-delay", 1000);
        c.modified(m);
        c.sampleBacklog(900, 0);
        assertFalse(c.behind());
        c.sampleBacklog(1001, 0);
        assertFalse("the mean of the latest samples (249, 900, 1001) is not over it", c.behind());
        c.sampleBacklog(2000, 0);
        assertTrue(c.behind());
        assertEquals("nothing admitted in the last second: the lowest rate", AdaptiveDialogRate.MIN_RATE, c.adaptiveRateLimit());
        m.put("overload-ctrl-max-queue-delay", 0);
        m.put("overload-ctrl-max-queue-delay-tcp", 0);
        c.modified(m);
        c.sampleBacklog(60_000, 60_000);
        assertFalse(c.behind());
        assertEquals(10, admit(c, 10));
        m.put("overload-ctrl-max-queue-delay", -3);
        c.modified(m);
        c.sampleBacklog(60_000, 60_000);
        assertFalse("a bad value keeps the last good one (off)", c.behind());
    }

    @Test
    public void overTcpMessagesMayWaitTwiceAsLongByDefault() {
        OverloadControl c = control(Map.of());
        for (int i = 0; i < AdaptiveDialogRate.ONSET_SAMPLES; i++) {
            c.sampleBacklog(0, 450);
        }
        assertFalse("450 ms over TCP is under its limit of 500", c.behind());
        assertEquals("the longest wait is reported, whichever transport", 450, c.receiveBacklogMillis());
        for (int i = 0; i < AdaptiveDialogRate.ONSET_SAMPLES; i++) {
            c.sampleBacklog(0, 520);
        }
        assertTrue(c.behind());
    }

    @Test
    public void withTheUdpLimitOffTheTcpOneStillCounts() {
        Map<String, Object> m = config(null, null, null);
        m.put("overload-ctrl-max-queue-delay", 0);
        m.put("overload-ctrl-max-queue-delay-tcp", 100);
        OverloadControl c = control(m);
        for (int i = 0; i < AdaptiveDialogRate.ONSET_SAMPLES; i++) {
            c.sampleBacklog(5000, 90);
        }
        assertFalse("UDP is not watched, TCP is under its 100 ms", c.behind());
        for (int i = 0; i < AdaptiveDialogRate.ONSET_SAMPLES; i++) {
            c.sampleBacklog(0, 120);
        }
        assertTrue(c.behind());
    }
}
