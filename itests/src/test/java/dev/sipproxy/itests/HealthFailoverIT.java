package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;

import java.time.Duration;
import java.util.Optional;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Health monitoring with real sipp SIP Servers as primary and backup: OPTIONS probing every second
 * (probe timeout 500 ms), failover while calls flow, out of service and back, switchover signalled by
 * the backup. Each test prints its figures (calls failed, time to fail over or recover).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HealthFailoverIT extends ProxyTestSupport {
    private static final Duration PAIR_STATE_DEADLINE = Duration.ofSeconds(15);

    @Inject
    protected AlarmService alarms;

    private boolean pairAlarmActive() {
        return alarms.active().stream().anyMatch(a -> a.id().equals("SIPS_HA_PAIR_UNAVAILABLE")
                && a.subject().equals("pair:default") && a.event().id() == 40001);
    }

    @Override
    protected int oosCheckSeconds() {
        return 1;
    }

    @Before
    public void oosCheckBackToOneSecond() throws Exception {
        updateConfig("dev.sipproxy.health", "oos-check", "1");
    }

    private Optional<MemberRole> active() {
        return pairs.pair("default").flatMap(PairState::active);
    }

    private void awaitActive(MemberRole role) throws InterruptedException {
        await("pair 'default' active on its " + role, PAIR_STATE_DEADLINE, () -> active().equals(Optional.of(role)));
    }

    @Test
    public void primaryKilledDuringLoadNoCallFails() throws Exception {
        failoverDuringLoad("KILL");
    }

    @Test
    public void primaryFrozenDuringLoadNoCallFails() throws Exception {
        failoverDuringLoad("STOP");
    }

    /**
     * Starts the primary alone and waits until the proxy has had an answer from it (so the pair
     * settles on it), then the backup. Waiting for "active on the primary" alone was not enough: a
     * pair out of service still names its primary as active, and if the backup then answered the
     * next probe first, the pair went to the backup and the calls with it.
     */
    private Sipp[] bothMembersUpOnPrimary() throws Exception {
        long started = System.currentTimeMillis();
        Sipp primary = Sipp.uas("uas_ha.xml").localPort(primaryPort()).start();
        await("pair 'default' in service on its primary, which answered since it started", PAIR_STATE_DEADLINE,
                () -> pairs.pair("default").map(p -> p.inService() && p.active().equals(Optional.of(MemberRole.PRIMARY))
                        && p.member(MemberRole.PRIMARY).map(m -> m.up() && m.lastResponseMillis() >= started).orElse(false))
                        .orElse(false));
        Sipp backup = Sipp.uas("uas_ha.xml").localPort(backupPort()).start();
        await("backup up", PAIR_STATE_DEADLINE, () -> pairs.pair("default").flatMap(p -> p.member(MemberRole.BACKUP))
                .map(m -> m.up() && m.lastResponseMillis() > 0).orElse(false));
        return new Sipp[] {primary, backup};
    }

    private void failoverDuringLoad(String signal) throws Exception {
        int calls = 200;
        Sipp[] members = bothMembersUpOnPrimary();
        try (Sipp primary = members[0]; Sipp backup = members[1]) {
            try (Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(calls).rate(20).start()) {
                try {
                    await("calls at the primary", Duration.ofSeconds(20), () -> primary.callsCreated() >= 40);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + " (primary " + primary.callsCreated() + " calls, backup "
                            + backup.callsCreated() + ", pair " + pairs.pair("default") + ")\n" + uac.diagnostics(), e);
                }
                primary.signal(signal);
                long killedAt = System.nanoTime();
                awaitActive(MemberRole.BACKUP);
                long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
                Sipp.Stats stats = assertAllCallsSucceeded(uac, calls, Duration.ofSeconds(60));
                System.out.printf("FIGURES primary %s: %d calls, %d failed, pair on backup %d ms after the signal%n",
                        signal, calls, stats.failed(), failoverMillis);
                assertTrue("failover within oos-check + probe timeout + a margin: " + failoverMillis + " ms", failoverMillis < 3000);
                assertTrue("the switchover is logged", logLinesContaining("switched over to its backup") >= 1);
            } finally {
                if ("STOP".equals(signal)) {
                    primary.signal("CONT");
                }
            }
        }
    }

    @Test
    public void bothMembersDownGives503AndOne40001ThenRecovers() throws Exception {
        String event40001 = "[40001 SPR_SIPS_HA_PAIR_UNAVAILABLE] SIP Server pair 'default'";
        // nobody listens on either member
        await("pair 'default' out of service", PAIR_STATE_DEADLINE,
                () -> pairs.pair("default").map(p -> !p.inService()).orElse(false));
        awaitLogLine(event40001, 1, Duration.ofSeconds(5));
        long before = logLinesContaining(event40001);
        long downAt = System.nanoTime();
        try (Sipp uac = Sipp.uac("uac_503.xml").remote(proxyPort()).calls(20).rate(20).start()) {
            Sipp.Stats stats = assertAllCallsSucceeded(uac, 20, Duration.ofSeconds(30));
            System.out.printf("FIGURES both down: %d INVITEs answered 503 with Retry-After%n", stats.successful());
        }
        assertEquals("40001 logged once when the pair went down, not once per call", before, logLinesContaining(event40001));
        assertTrue("alarm 40001 raised for pair 'default'", pairAlarmActive());
        try (Sipp backup = Sipp.uas("uas_ha.xml").localPort(backupPort()).start()) {
            long startedAt = System.nanoTime();
            awaitActive(MemberRole.BACKUP);
            long recoverMillis = (System.nanoTime() - startedAt) / 1_000_000;
            try (Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(20).rate(20).start()) {
                assertAllCallsSucceeded(uac, 20, Duration.ofSeconds(30));
            }
            System.out.printf("FIGURES both down: back in service %d ms after the backup started (out of service %d ms)%n",
                    recoverMillis, (System.nanoTime() - downAt) / 1_000_000);
            assertTrue("recovery within oos-force + probe timeout + a margin: " + recoverMillis + " ms", recoverMillis < 3000);
            assertTrue("the return is logged", logLinesContaining("is back in service") >= 1);
            assertFalse("alarm cleared", pairAlarmActive());
            assertTrue("the clear is in the alarm history", alarms.history().stream()
                    .anyMatch(a -> a.id().equals("SIPS_HA_PAIR_UNAVAILABLE") && !a.active()));
        }
    }

    @Test
    public void requestFromTheBackupSwitchesThePairOver() throws Exception {
        try (Sipp primary = Sipp.uas("uas_ha.xml").localPort(primaryPort()).start();
             Sipp endpoint = Sipp.uas("uas.xml").localPort(endpointPort()).start()) {
            awaitActive(MemberRole.PRIMARY);
            // the backup "answers" probes through this sipp, which also places one call to the endpoint
            try (Sipp backupSide = Sipp.uac("uac.xml").remote(proxyPort()).localPort(backupPort()).arg("-aa")
                    .target("127.0.0.1:" + endpointPort()).calls(1).rate(1).start()) {
                assertAllCallsSucceeded(backupSide, 1, Duration.ofSeconds(20));
            }
            assertEquals("a request from the backup means a switchover", Optional.of(MemberRole.BACKUP), active());
        }
        try (Sipp backup = Sipp.uas("uas_ha.xml").localPort(backupPort()).start();
             Sipp uac = Sipp.uac("uac.xml").remote(proxyPort()).calls(5).rate(10).start()) {
            assertAllCallsSucceeded(uac, 5, Duration.ofSeconds(30));
            assertEquals("new calls went to the backup", 5, backup.awaitSuccessful(5, Duration.ofSeconds(10)).successful());
        }
    }

    @Test
    public void oosCheckChangedLiveChangesTheProbeInterval() throws Exception {
        try (Sipp primary = Sipp.uas("uas_ha.xml").localPort(primaryPort()).start()) {
            await("primary up", PAIR_STATE_DEADLINE, () -> primaryState().map(MemberState::up).orElse(false)
                    && primaryState().get().lastResponseMillis() > 0);
            // settled: calls on the primary and the (absent) backup known to be down, so that no
            // failover probe of the primary falls between two regular ones
            awaitActive(MemberRole.PRIMARY);
            await("backup down", PAIR_STATE_DEADLINE, () -> pairs.pair("default").flatMap(p -> p.member(MemberRole.BACKUP))
                    .map(m -> !m.up()).orElse(false));
            long oneSecond = probeInterval();
            updateConfig("dev.sipproxy.health", "oos-check", "3");
            probeInterval(); // the first interval after the change may be a short one
            long threeSeconds = probeInterval();
            System.out.printf("FIGURES probe interval: %d ms at oos-check 1, %d ms at oos-check 3%n", oneSecond, threeSeconds);
            assertTrue("about 1 s: " + oneSecond, oneSecond >= 800 && oneSecond <= 1600);
            assertTrue("about 3 s: " + threeSeconds, threeSeconds >= 2700 && threeSeconds <= 3600);
        }
    }

    private Optional<MemberState> primaryState() {
        return pairs.pair("default").flatMap(p -> p.member(MemberRole.PRIMARY));
    }

    /** Time between two successive answers of the primary to probes. */
    private long probeInterval() throws InterruptedException {
        long first = nextAnswer(0);
        long second = nextAnswer(first);
        return second - first;
    }

    private long nextAnswer(long after) throws InterruptedException {
        long start = primaryState().get().lastResponseMillis();
        long[] seen = new long[1];
        await("a probe answered", Duration.ofSeconds(10), () -> {
            long t = primaryState().get().lastResponseMillis();
            seen[0] = t;
            return t != start && t > after;
        });
        return seen[0];
    }

    @SuppressWarnings("unused")
    private static void assertNotInService(PairState p) {
        assertFalse(p.inService());
    }
}
