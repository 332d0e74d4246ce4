package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.AlarmService;

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
 * admitted calls complete; in-dialog requests are never refused; the rate changes live.
 * Each test prints offered, admitted and rejected.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OverloadIT extends ProxyTestSupport {
    private static final String PID = "dev.sipproxy.overload";

    @Inject
    protected AdmissionStatistics admission;

    @Inject
    protected AlarmService alarms;

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

    /** Dialogs admitted per second over a window, measured on the proxy's counter. */
    private double admittedPerSecond(long windowMillis) throws InterruptedException {
        long start = admission.admittedDialogs();
        long t0 = System.nanoTime();
        Thread.sleep(windowMillis);
        long n = admission.admittedDialogs() - start;
        return n * 1e9 / (System.nanoTime() - t0);
    }
}
