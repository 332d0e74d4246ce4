package dev.sipproxy.pool.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.Alarm;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.ProxyPool;
import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.transport.ListeningPointInfo;
import dev.sipproxy.api.transport.SipTransport;

import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

import org.junit.After;
import org.junit.Test;

/** The pool component without a SIP stack: probing off (peer-check 0), probe results fed in by hand. */
public class PoolMonitorTest {
    private static final String SELF = "127.0.0.1:5060";

    /** Listens on 127.0.0.1:5060, UDP and TCP. */
    private static final SipTransport TRANSPORT = new SipTransport() {
        @Override public SipProvider provider() { return null; }
        @Override public MessageFactory messageFactory() { return null; }
        @Override public HeaderFactory headerFactory() { return null; }
        @Override public AddressFactory addressFactory() { return null; }
        @Override public List<ListeningPointInfo> listeningPoints() {
            return List.of(new ListeningPointInfo(SipTransportType.UDP, "127.0.0.1", 5060),
                    new ListeningPointInfo(SipTransportType.TCP, "127.0.0.1", 5060));
        }
        @Override public int port(SipTransportType t) { return 5060; }
        @Override public String advertisedHost(String destinationIp) { return "127.0.0.1"; }
        @Override public boolean isOwnAddress(String host, int port) { return port == 5060 && "127.0.0.1".equals(host); }
        @Override public long receiveBacklogMillis() { return 0; }
        @Override public long lastStaleDropMillis() { return 0; }
    };

    /** Keeps active alarms by id/subject. */
    static final class Alarms implements AlarmService {
        final Map<String, Alarm> active = new LinkedHashMap<>();
        final List<String> log = new ArrayList<>();

        @Override public void raise(String id, ProxyEvent event, String subject, String text) {
            log.add("raise " + id + " " + subject);
            active.put(id + "/" + subject, new Alarm(id, event, event.severity(), subject, text, 1, 1, 1, 0));
        }
        @Override public void raise(String id, ProxyEvent.Severity severity, String subject, String text) {
            log.add("raise " + id + " " + subject);
            active.put(id + "/" + subject, new Alarm(id, null, severity, subject, text, 1, 1, 1, 0));
        }
        @Override public void clear(String id, String subject, String text) {
            if (active.remove(id + "/" + subject) != null) {
                log.add("clear " + id + " " + subject);
            }
        }
        @Override public List<Alarm> active() { return new ArrayList<>(active.values()); }
        @Override public List<Alarm> history() { return List.of(); }
    }

    private final Alarms alarms = new Alarms();
    private final Hosts.Resolver dns = host -> {
        if (host.equals("pool.example.com")) {
            return List.of("10.9.9.9");
        }
        throw new UnknownHostException(host);
    };
    private PoolMonitor pool;

    private static Map<String, Object> config(String... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("peer-check", "0");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private PoolMonitor start(Map<String, Object> config) {
        pool = new PoolMonitor(TRANSPORT, dns, config);
        pool.bindAlarms(alarms);
        return pool;
    }

    @After
    public void stop() {
        if (pool != null) {
            pool.deactivate();
        }
    }

    @Test
    public void noListMeansNoPoolAndRouting() {
        start(config());
        assertTrue(pool.routingAllowed());
        assertEquals(List.of(), pool.instances());
        assertTrue(alarms.active.isEmpty());
    }

    @Test
    public void ownAddressMissingRefusesRoutingUntilTheListIsFixedLive() {
        start(config("proxy-instances", "127.0.0.1:5070,127.0.0.1:5080"));
        assertFalse(pool.routingAllowed());
        assertEquals(List.of("raise OWN_PROXY_ADDR_NOT_FOUND instance:127.0.0.1:5060"), alarms.log);
        assertEquals(ProxyEvent.SPR_OWN_PROXY_ADDR_NOT_FOUND, alarms.active().get(0).event());
        assertTrue(alarms.active().get(0).text(), alarms.active().get(0).text().contains("udp 127.0.0.1:5060"));

        pool.modified(config("proxy-instances", SELF + ",127.0.0.1:5080"));
        assertTrue(pool.routingAllowed());
        assertEquals("cleared", List.of(), alarms.active());
        List<ProxyPool.Instance> instances = pool.instances();
        assertEquals(new ProxyPool.Instance(new HostPort("127.0.0.1", 5060), true, true, 0), instances.get(0));
        assertFalse("not probed yet", instances.get(1).up());
    }

    @Test
    public void explicitOwnAddressIsWhatIsLookedFor() {
        start(config("proxy-instances", SELF + ",127.0.0.1:5080", "own-address", "127.0.0.1:5090"));
        assertFalse(pool.routingAllowed());
        assertEquals(List.of("raise OWN_PROXY_ADDR_NOT_FOUND instance:127.0.0.1:5090"), alarms.log);
        assertTrue(alarms.active().get(0).text().contains("own-address 127.0.0.1:5090"));
        pool.modified(config("proxy-instances", SELF + ",127.0.0.1:5080", "own-address", "127.0.0.1:5080"));
        assertTrue(pool.routingAllowed());
        assertTrue(pool.instances().get(1).self());
        assertEquals(List.of(), alarms.active());
    }

    @Test
    public void aBadValueKeepsTheLastGoodConfiguration() {
        start(config("proxy-instances", SELF + ",127.0.0.1:5080"));
        pool.modified(config("proxy-instances", "127.0.0.1:5080", "peer-timeout", "nonsense"));
        assertTrue("the refused update did not take this instance out of the list", pool.routingAllowed());
        assertEquals(2, pool.instances().size());
    }

    @Test
    public void aBadValueAtActivationMeansDefaults() {
        start(config("proxy-instances", "127.0.0.1:99999"));
        assertTrue(pool.routingAllowed());
        assertEquals(PoolSettings.DEFAULT_PEER_CHECK, pool.view().settings().peerCheckSeconds());
    }

    @Test
    public void poolAddressIsRecognisedByNameAndByAddress() {
        start(config("proxy-instances", SELF, "pool-address", "Pool.Example.com:5000"));
        assertEquals(new HostPort("Pool.Example.com", 5000), pool.poolAddress().get());
        assertTrue(pool.isPoolAddress("pool.example.com", 5000));
        assertTrue(pool.isPoolAddress("10.9.9.9", 5000));
        assertFalse(pool.isPoolAddress("10.9.9.9", 5060));
        assertFalse(pool.isPoolAddress("127.0.0.1", 5000));
        pool.modified(config("proxy-instances", SELF));
        assertFalse(pool.poolAddress().isPresent());
        assertFalse(pool.isPoolAddress("pool.example.com", 5000));
    }

    @Test
    public void peerDownRaisesOncePerTransitionAndItsReturnClears() {
        start(config("proxy-instances", SELF + ",127.0.0.1:5080"));
        PoolMonitor.Peer b = pool.peer(new HostPort("127.0.0.1", 5080));
        pool.answered(b, 200);
        assertTrue(pool.instances().get(1).up());
        assertTrue(pool.instances().get(1).lastResponseMillis() > 0);
        pool.failed(b, "no answer");
        pool.failed(b, "no answer");
        pool.failed(b, "no answer");
        assertEquals(List.of("raise OTHER_PROXY_INSTANCE_DISCONNECTED instance:127.0.0.1:5080"), alarms.log);
        assertFalse(pool.instances().get(1).up());
        pool.answered(b, 200);
        pool.answered(b, 200);
        assertEquals(List.of("raise OTHER_PROXY_INSTANCE_DISCONNECTED instance:127.0.0.1:5080",
                "clear OTHER_PROXY_INSTANCE_DISCONNECTED instance:127.0.0.1:5080"), alarms.log);
    }

    @Test
    public void aPeerRemovedFromTheListHasItsAlarmCleared() {
        start(config("proxy-instances", SELF + ",127.0.0.1:5080"));
        pool.failed(pool.peer(new HostPort("127.0.0.1", 5080)), "no answer");
        assertEquals(1, alarms.active().size());
        pool.modified(config("proxy-instances", SELF));
        assertEquals(List.of(), alarms.active());
        assertEquals(1, pool.instances().size());
    }

    @Test
    public void anAlarmServiceThatComesLateGetsWhatIsWrong() {
        pool = new PoolMonitor(TRANSPORT, dns, config("proxy-instances", "127.0.0.1:5080"));
        pool.failed(pool.peer(new HostPort("127.0.0.1", 5080)), "no answer");
        pool.bindAlarms(alarms);
        assertEquals(2, alarms.active().size());
    }

    @Test
    public void alarmsAPreviousActivationLeftAreClearedWhenNoLongerTrue() {
        alarms.raise(PoolMonitor.ALARM_OWN_NOT_FOUND, ProxyEvent.SPR_OWN_PROXY_ADDR_NOT_FOUND, "instance:127.0.0.1:5060", "old");
        alarms.raise(PoolMonitor.ALARM_PEER_DISCONNECTED, ProxyEvent.SPR_OTHER_PROXY_INSTANCE_DISCONNECTED, "instance:10.0.0.7:5060", "old");
        start(config("proxy-instances", SELF + ",127.0.0.1:5080"));
        assertTrue(pool.routingAllowed());
        assertEquals(List.of(), alarms.active());
    }

    @Test
    public void anOwnAddressAlarmForAnotherListeningPointIsReplaced() {
        alarms.raise(PoolMonitor.ALARM_OWN_NOT_FOUND, ProxyEvent.SPR_OWN_PROXY_ADDR_NOT_FOUND, "instance:127.0.0.1:5999", "old");
        start(config("proxy-instances", "127.0.0.1:5080"));
        assertEquals(1, alarms.active().size());
        assertEquals("instance:127.0.0.1:5060", alarms.active().get(0).subject());
    }
}
