package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Configuration changed through Config Admin while the proxy runs: applied live, bad values refused. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveConfigurationIT extends ProxyTestSupport {

    @Test
    public void movedPrimaryTakesNewCallsWhileCallsInProgressComplete() throws Exception {
        int oldPrimary = primaryPort();
        int newPrimary = freePort();
        int calls = 40;
        try (Sipp oldUas = Sipp.uas("uas.xml").localPort(oldPrimary).start();
             Sipp newUas = Sipp.uas("uas.xml").localPort(newPrimary).start();
             // 10 calls a second, each 3 s long: about 30 are up when the primary moves.
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(calls).rate(10).callLengthMs(3000).start()) {
            await("calls set up at the old primary", Duration.ofSeconds(20), () -> oldUas.callsCreated() >= 10);
            updateDefaultPair("primary", "127.0.0.1:" + newPrimary);
            await("pair 'default' moved", Duration.ofSeconds(10),
                    () -> pairs.pair("default").get().pair().primary().port() == newPrimary);

            assertAllCallsSucceeded(uac, calls, Duration.ofSeconds(60));
            long atOld = oldUas.awaitSuccessful(1, Duration.ofSeconds(5)).successful();
            long atNew = newUas.awaitSuccessful(calls - atOld, Duration.ofSeconds(10)).successful();
            assertTrue("calls in progress at the old primary completed there: " + atOld, atOld >= 10);
            assertTrue("new calls went to the new primary: " + atNew, atNew >= 1);
            assertEquals("every call completed at one primary or the other", calls, atOld + atNew);
        } finally {
            updateDefaultPair("primary", "127.0.0.1:" + oldPrimary);
            await("pair 'default' restored", Duration.ofSeconds(10),
                    () -> pairs.pair("default").get().pair().primary().port() == oldPrimary);
        }
    }

    @Test
    public void badPairValueIsRefusedWith40003AndTheLastGoodOneStays() throws Exception {
        long before = logLinesContaining("[40003 SPR_ERROR_READING_CONFIG_DATA]");
        updateDefaultPair("primary", "127.0.0.1:notaport");
        awaitLogLine("[40003 SPR_ERROR_READING_CONFIG_DATA]", before + 1, Duration.ofSeconds(10));
        assertEquals("primary unchanged", primaryPort(), pairs.pair("default").get().pair().primary().port());
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).calls(5).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(5).rate(10).start()) {
            assertAllCallsSucceeded(uac, 5, Duration.ofSeconds(30));
        } finally {
            updateDefaultPair("primary", "127.0.0.1:" + primaryPort());
        }
    }

    @Test
    public void badTransportValueIsRefusedWith40003AndTheListenerStays() throws Exception {
        long before = logLinesContaining("[40003 SPR_ERROR_READING_CONFIG_DATA]");
        updateConfig("dev.sipproxy.transport", "sip-port", "not-a-port");
        awaitLogLine("[40003 SPR_ERROR_READING_CONFIG_DATA]", before + 1, Duration.ofSeconds(10));
        try (Sipp uas = Sipp.uas("uas.xml").localPort(primaryPort()).calls(5).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(5).rate(10).start()) {
            assertAllCallsSucceeded(uac, 5, Duration.ofSeconds(30));
        } finally {
            updateConfig("dev.sipproxy.transport", "sip-port", Integer.toString(proxyPort()));
        }
    }
}
