package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.ProxyStatistics;

import java.time.Duration;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Overload control: new INVITEs above {@code overload-ctrl-dialog-rate} get 503 with Retry-After;
 * admitted calls complete; in-dialog requests are never refused; the rate changes live. A flood
 * beyond what the proxy can process is shed with 503 while the proxy is behind, without failing the
 * SIP Server over, and calls complete again right after. Each test prints offered, admitted and rejected.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OverloadIT extends ProxyTestSupport {
    private static final String PID = "dev.sipproxy.overload";

    @Inject
    protected AdmissionStatistics admission;

    @Inject
    protected AlarmService alarms;

    @Inject
    protected ProxyStatistics statistics;

    private boolean overloadAlarm() {
        return alarms.active().stream().anyMatch(a -> a.id().equals("OVERLOAD"));
    }

    @After
    public void rateOff() throws Exception {
        updateConfig(PID, "overload-ctrl-dialog-rate", "0");
    }

    private void setRate(int rate) throws Exception {
        updateConfig(PID, "overload-ctrl-dialog-rate", Integer.toString(rate));
        await("dialog rate " + rate, Duration.ofSeconds(5), () -> admission.dialogRateLimit() == rate);
    }

    @Test
    public void twiceTheRateForTwentySecondsAdmitsTheRateAndRefusesTheRest() throws Exception {
        int rate = 50;
        int offered = 2000; // 100 calls/s for 20 s
        setRate(rate);
        long admittedBefore = admission.admittedDialogs();
        long rejectedBefore = admission.rejectedDialogs();
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp uac = Sipp.uac("uac_admit.xml").remote(proxyPort()).calls(offered).rate(100).start()) {
            await("overload alarm raised", Duration.ofSeconds(20), this::overloadAlarm);
            assertAllCallsSucceeded(uac, offered, Duration.ofSeconds(90));
            await("overload alarm cleared once nothing is refused", Duration.ofSeconds(10), () -> !overloadAlarm());
            long admitted = admission.admittedDialogs() - admittedBefore;
            long rejected = admission.rejectedDialogs() - rejectedBefore;
            long completed = uas.awaitSuccessful(admitted, Duration.ofSeconds(10)).successful();
            System.out.printf("FIGURES overload at %d/s: offered %d, admitted %d, rejected %d, completed at the server %d%n",
                    rate, offered, admitted, rejected, completed);
            assertEquals("every INVITE admitted or refused", offered, admitted + rejected);
            double expected = rate * 20.0;
            assertTrue("admitted within 5 % of " + expected + ": " + admitted, Math.abs(admitted - expected) <= expected * 0.05 + 10);
            assertEquals("every admitted call completed at the SIP Server", admitted, completed);
        }
    }

    @Test
    public void rateChangedLiveDuringLoadIsFollowedWithinASecond() throws Exception {
        setRate(50);
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp uac = Sipp.uac("uac_admit.xml").remote(proxyPort()).calls(1200).rate(150).start()) {
            await("load running", Duration.ofSeconds(10), () -> admission.rejectedDialogs() > 0);
            double before = admittedPerSecond(2000);
            setRate(100);
            Thread.sleep(1000); // the change must be in force within this second
            double after = admittedPerSecond(2000);
            assertAllCallsSucceeded(uac, 1200, Duration.ofSeconds(60));
            System.out.printf("FIGURES rate change 50 -> 100 under 150/s offered: admitted %.1f/s before, %.1f/s after%n", before, after);
            assertTrue("about 50/s before: " + before, before >= 45 && before <= 57);
            assertTrue("about 100/s after: " + after, after >= 92 && after <= 110);
        }
    }

    @Test
    public void rateZeroRefusesNothing() throws Exception {
        setRate(0);
        long rejectedBefore = admission.rejectedDialogs();
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(1000).rate(200).start()) {
            assertAllCallsSucceeded(uac, 1000, Duration.ofSeconds(60));
            System.out.printf("FIGURES rate 0: offered 1000 at 200/s, rejected %d%n", admission.rejectedDialogs() - rejectedBefore);
            assertEquals(rejectedBefore, admission.rejectedDialogs());
        }
    }

    @Test
    public void aFloodIsShedWhileTheProxyIsBehindAndCallsCompleteRightAfter() throws Exception {
        setRate(0); // no configured limit: only the proxy's own backlog decides
        // The SIP Server here is a sipp sharing two cores with the flood's sipp and the proxy: an answer
        // of its that is slow because it got no CPU is not what this test is about, a backlog of the
        // proxy's own is (the proxy keeps it under half a second); 3 s instead of 1 s tells them apart.
        long applied = logLinesContaining("failoverTimerMillis=3000");
        updateConfig("dev.sipproxy.routing", "failover-timer", "3000");
        awaitLogLine("failoverTimerMillis=3000", applied + 1, Duration.ofSeconds(10));
        try {
            floodThenCalls();
        } finally {
            updateConfig("dev.sipproxy.routing", "failover-timer", "1000");
        }
    }

    private void floodThenCalls() throws Exception {
        long rejectedBefore = admission.rejectedDialogs();
        long failoversBefore = statistics.failovers();
        int flood = 24_000; // 3000 calls/s for 8 s: more than twice what this proxy processes here
        long maxBacklog = 0;
        String leftPrimary = null;
        // Both members listen: after the flood, sipp's callee ignores a BYE for a call it gave up
        // (a SIP Server answers 481), and one such silence may fail the pair over with the proxy
        // idle; that is not what this test is about. While the flood comes in, no failover at all.
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).start();
             Sipp backup = Sipp.uas("uas.xml").localPort(backupPort()).start()) {
            Sipp.Stats floodStats;
            try (Sipp uac = Sipp.uac("uac_admit.xml").remote(proxyPort()).calls(flood).rate(3000).start()) {
                // until every call ended, or none ended for 15 s (sipp keeps a call whose BYE went
                // unanswered waiting for good): those count as failed
                long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
                long lastProgress = System.nanoTime();
                long ended = -1;
                while (uac.running() && System.nanoTime() < deadline
                        && System.nanoTime() - lastProgress < Duration.ofSeconds(15).toNanos()) {
                    maxBacklog = Math.max(maxBacklog, admission.receiveBacklogMillis());
                    Sipp.Stats now = uac.stats();
                    if (leftPrimary == null && now.created() < flood && !onPrimary()) {
                        leftPrimary = pairs.pair("default").orElseThrow() + "; the proxy's log: "
                                + logLinesWith(" failed (").stream().limit(3).toList() + " "
                                + logLinesWith("is down").stream().limit(3).toList();
                        System.out.println("FIGURES flood: the pair left its primary: " + leftPrimary);
                    }
                    if (now.successful() + now.failed() != ended) {
                        ended = now.successful() + now.failed();
                        lastProgress = System.nanoTime();
                    }
                    Thread.sleep(50);
                }
                floodStats = uac.stats();
                assertEquals("every call of the flood was started", flood, floodStats.created());
            }
            // refusals are counted per INVITE received: a retransmitted INVITE is refused (and counted) again
            long rejected = admission.rejectedDialogs() - rejectedBefore;
            long completed = uas.stats().successful() + backup.stats().successful();
            long notCompleted = flood - floodStats.successful();
            System.out.printf("FIGURES flood of %d calls at 3000/s: %d completed at the SIP Servers, %d refused with 503, "
                            + "%d failed or never ended; %d INVITEs refused (with retransmissions); UAC retransmissions %d; "
                            + "longest receive backlog seen %d ms; failovers %d (after the flood came in)%n", flood, completed,
                    floodStats.successful() - completed, notCompleted, rejected, floodStats.retransmissions(), maxBacklog,
                    statistics.failovers() - failoversBefore);
            assertTrue("the proxy fell behind and refused new dialogs with 503 (refused " + rejected + ")", rejected > 0);
            assertTrue("the overload alarm for it was raised", alarmRaised("overload:queue-delay"));
            assertEquals("while the flood came in, the pair stayed on its primary (no failover over the proxy's own backlog)",
                    null, leftPrimary);
            await("caught up: the alarm cleared", Duration.ofSeconds(30),
                    () -> !admission.behind() && alarms.active().stream().noneMatch(a -> a.subject().equals("overload:queue-delay")));
            try (Sipp after = Sipp.uac("uac.xml").remote(proxyPort()).calls(200).rate(50).start()) {
                assertAllCallsSucceeded(after, 200, Duration.ofSeconds(60));
            }
        }
    }

    private boolean onPrimary() {
        PairState pair = pairs.pair("default").orElseThrow();
        return pair.active().equals(java.util.Optional.of(MemberRole.PRIMARY))
                && pair.member(MemberRole.PRIMARY).map(MemberState::up).orElse(false);
    }

    private boolean alarmRaised(String subject) {
        return alarms.active().stream().map(Alarm::subject).anyMatch(subject::equals)
                || alarms.history().stream().map(Alarm::subject).anyMatch(subject::equals);
    }

    /** Dialogs admitted per second over a window, measured on the proxy's counter. */
    private double admittedPerSecond(long windowMillis) throws InterruptedException {
        long start = admission.admittedDialogs();
        long t0 = System.nanoTime();
        Thread.sleep(windowMillis);
        long n = admission.admittedDialogs() - start;
        return n * 1e9 / (System.nanoTime() - t0);
    }
}
