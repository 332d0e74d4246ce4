package dev.sipproxy.overload.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

public class AdaptiveDialogRateTest {

    private final FakeClock clock = new FakeClock(0);
    private final List<String> changes = new ArrayList<>();
    private final AdaptiveDialogRate adaptive = new AdaptiveDialogRate(clock, new AdaptiveDialogRate.Listener() {
        @Override
        public void limitingStarted(long backlogMillis, int limitMillis, int rate) {
            changes.add("started " + backlogMillis + "/" + limitMillis + " at " + rate);
        }

        @Override
        public void limitingEnded(long backlogMillis, long peakMillis, int lowestRate) {
            changes.add("ended " + backlogMillis + " peak " + peakMillis + " lowest " + lowestRate);
        }
    });

    /** Samples every 50 ms for {@code millis}, each with {@code backlog}, offering {@code offeredPerSecond} meanwhile. */
    private int run(long millis, long backlog, int offeredPerSecond) {
        int admitted = 0;
        double due = 0;
        for (long t = 0; t < millis; t += 50) {
            adaptive.sample(backlog, 250, offeredPerSecond, offeredPerSecond);
            due += offeredPerSecond / 20.0;
            for (; due >= 1; due--) {
                if (adaptive.tryAdmit()) {
                    admitted++;
                }
            }
            clock.advance(50, TimeUnit.MILLISECONDS);
        }
        return admitted;
    }

    @Test
    public void aBacklogUpToTheLimitLimitsNothing() {
        assertEquals(20_000, run(2000, 250, 10_000));
        assertFalse(adaptive.limiting());
        assertEquals(List.of(), changes);
    }

    @Test
    public void overTheLimitItStartsAtSevenTenthsOfWhatWasAdmitted() {
        adaptive.sample(251, 250, 3000, 3000);
        assertTrue(adaptive.limiting());
        assertEquals(2100, adaptive.rate());
        assertEquals(List.of("started 251/250 at 2100"), changes);
    }

    @Test
    public void aBacklogOverTheLimitForAMomentIsNotOverload() {
        run(1000, 0, 3000);
        adaptive.sample(900, 250, 3000, 3000);
        assertFalse("the mean of the latest four samples is 225", adaptive.limiting());
        run(150, 0, 3000);
        adaptive.sample(1004, 250, 3000, 3000);
        assertTrue("a long stall is: (0 + 0 + 0 + 1004) / 4 > 250", adaptive.limiting());
    }

    @Test
    public void whileStillBehindTheRateIsCutEveryHalfSecondNotFaster() {
        adaptive.sample(300, 250, 3000, 3000);
        run(450, 400, 3000);
        assertEquals("no cut within the first half second", 2100, adaptive.rate());
        // (a mean of 400 >= 300: not shrinking)
        run(500, 400, 3000);
        assertEquals(1470, adaptive.rate());
        run(500, 400, 3000);
        assertEquals(1029, adaptive.rate());
    }

    @Test
    public void theCutIsDecidedOnTheHalfSecondsMeanNotOnItsLastSample() {
        adaptive.sample(300, 250, 3000, 3000);
        run(500, 200, 3000);
        adaptive.sample(900, 250, 3000, 3000); // the mean of 200 x 10 and 900 is 263: over the limit, but under 300
        assertEquals(2100, adaptive.rate());
        clock.advance(50, TimeUnit.MILLISECONDS);
        run(500, 400, 3000);
        assertEquals("a mean of 400 is over 270 and the limit", 1470, adaptive.rate());
    }

    @Test
    public void itNeverGoesBelowTenPerSecond() {
        adaptive.sample(300, 250, 12, 12);
        run(10_000, 5000, 100);
        assertEquals(AdaptiveDialogRate.MIN_RATE, adaptive.rate());
        assertTrue(adaptive.limiting());
    }

    @Test
    public void betweenHalfAndTheLimitTheRateIsHeld() {
        adaptive.sample(300, 250, 1000, 1000);
        run(3000, 200, 3000);
        assertEquals(700, adaptive.rate());
    }

    @Test
    public void caughtUpTheRateClimbsByATenthOfWhatIsOfferedEveryHalfSecond() {
        adaptive.sample(300, 250, 1000, 1000); // 700
        run(550, 400, 3000); // samples at 0 .. 500 ms: one cut, at 500
        assertEquals(490, adaptive.rate());
        run(500, 0, 3000);
        assertEquals(790, adaptive.rate());
        run(500, 0, 3000);
        assertEquals(1090, adaptive.rate());
    }

    @Test
    public void aRateThatStartedLowClimbsByATenthOfWhatIsOffered() {
        adaptive.sample(400, 250, 50, 50); // a cold start: little admitted yet
        assertEquals(35, adaptive.rate());
        run(550, 0, 400); // one raise, at 500 ms
        assertEquals(75, adaptive.rate());
        run(3000, 0, 400);
        assertEquals(315, adaptive.rate());
    }

    @Test
    public void aBacklogThatShrinksIsNotCutAgain() {
        adaptive.sample(300, 250, 3000, 3000); // 2100
        run(550, 900, 3000); // one cut at 500 ms: 900 >= 300
        assertEquals(1470, adaptive.rate());
        run(500, 600, 3000); // draining: held
        assertEquals(1470, adaptive.rate());
        run(500, 600, 3000); // no longer shrinking: cut
        assertEquals(1029, adaptive.rate());
    }

    @Test
    public void theAdmittedRateFollowsTheLimit() {
        adaptive.sample(300, 250, 3000, 3000);
        int admitted = run(2000, 200, 3000); // held at 2100/s for 2 s
        assertTrue("about 4200 + the burst: " + admitted, admitted >= 4150 && admitted <= 4500);
    }

    @Test
    public void itEndsTwoSecondsAfterTheLastRefusalOnceTheLoadFits() {
        adaptive.sample(300, 250, 3000, 3000);
        run(1000, 0, 1000); // 1000/s offered under a limit of 2100+: nothing refused
        assertTrue("the refusal clock starts when limiting starts", adaptive.limiting());
        run(1100, 0, 1000);
        assertFalse(adaptive.limiting());
        assertEquals(List.of("started 300/250 at 2100", "ended 0 peak 300 lowest 2100"), changes);
    }

    @Test
    public void aLoadAboveTheLimitKeepsItLimitingEvenWithNoBacklog() {
        adaptive.sample(300, 250, 1000, 1000); // 700/s
        run(1000, 0, 5000); // the rate climbs but the offered 5000/s is refused in part
        assertTrue(adaptive.limiting());
    }

    @Test
    public void limitZeroTurnsItOff() {
        adaptive.sample(300, 0, 1000, 1000);
        assertFalse(adaptive.limiting());
        adaptive.sample(300, 250, 1000, 1000);
        assertTrue(adaptive.limiting());
        adaptive.sample(300, 0, 1000, 1000);
        assertFalse(adaptive.limiting());
        assertTrue(adaptive.tryAdmit());
        assertEquals(List.of("started 300/250 at 700", "ended 300 peak 300 lowest 700"), changes);
    }
}
