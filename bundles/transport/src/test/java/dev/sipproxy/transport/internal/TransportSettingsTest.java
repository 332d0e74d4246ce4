package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

public class TransportSettingsTest {

    static TransportSettings parse(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return TransportSettings.parse(new ConfigValues(m));
    }

    private static InvalidConfigException refused(Object... keyValues) {
        try {
            TransportSettings s = parse(keyValues);
            fail("accepted as " + s);
            return null;
        } catch (InvalidConfigException e) {
            return e;
        }
    }

    @Test
    public void defaults() {
        TransportSettings s = parse();
        assertEquals(Optional.empty(), s.sipAddress());
        assertEquals(5060, s.sipPort());
        assertEquals(Set.of(SipTransportType.UDP, SipTransportType.TCP), s.transports());
        assertEquals(Optional.empty(), s.advertisedAddress());
        assertEquals(TransportSettings.DEFAULT_THREADS, s.stackThreads());
        assertEquals(TransportSettings.DEFAULT_MAX_TRANSACTIONS, s.maxTransactions());
        assertEquals(TransportSettings.DEFAULT_MAX_MESSAGE_SIZE, s.maxMessageSize());
        assertEquals(TransportSettings.DEFAULT_UDP_BUFFER, s.udpBufferSize());
        assertEquals("0.0.0.0", s.bindAddress());
        assertTrue(s.bindsAllInterfaces());
        assertEquals(TransportSettings.DEFAULTS, s);
    }

    @Test
    public void valuesFromCfg() {
        TransportSettings s = parse("sip-address", "10.0.0.5", "sip-port", "5070", "sip-transports", "tcp",
                "sip-advertised-address", "proxy.example.com", "stack-threads", "16");
        assertEquals(Optional.of("10.0.0.5"), s.sipAddress());
        assertEquals("10.0.0.5", s.bindAddress());
        assertEquals(5070, s.sipPort());
        assertEquals(Set.of(SipTransportType.TCP), s.transports());
        assertEquals(Optional.of("proxy.example.com"), s.advertisedAddress());
        assertEquals(16, s.stackThreads());
        assertFalse(s.bindsAllInterfaces());
    }

    @Test
    public void badPortIsRefusedNamingSipPort() {
        for (String bad : new String[] {"abc", "0", "65536", "-5"}) {
            InvalidConfigException e = refused("sip-port", bad);
            assertTrue(e.getMessage(), e.getMessage().contains("sip-port"));
            assertTrue(e.getMessage(), e.getMessage().contains(bad));
        }
    }

    @Test
    public void tlsIsAListeningTransport() {
        TransportSettings s = parse("sip-transports", "udp, tls", "sip-tls-port", "5071", "tls-keystore", "/k.p12",
                "tls-keystore-password", "pw", "tls-client-auth", "need");
        assertEquals(Set.of(SipTransportType.UDP, SipTransportType.TLS), s.transports());
        assertEquals(5071, s.tls().port());
        assertEquals(Optional.of("/k.p12"), s.tls().material().keystore());
        assertEquals("PKCS12", s.tls().material().keystoreType());
        assertEquals(dev.sipproxy.jainsip.net.StackTls.ClientAuth.NEED, s.tls().clientAuth());
        assertFalse("passwords never in toString", s.toString().contains("pw,") || s.toString().contains("=pw"));
        assertEquals("JKS", parse("tls-keystore", "/k.JKS").tls().material().keystoreType());
        refused("tls-client-auth", "maybe");
        refused("tls-keystore-type", "PEM");
        refused("sip-transports", "tcp,tls", "sip-tls-port", "5060");
    }

    @Test
    public void keyMaterialChangesDoNotRestartTheStack() {
        TransportSettings a = parse("sip-transports", "tls", "tls-keystore", "/a.p12", "tls-keystore-password", "x");
        TransportSettings b = parse("sip-transports", "tls", "tls-keystore", "/b.p12", "tls-keystore-password", "y",
                "keepalive-interval", "5", "keepalive-timeout", "1000");
        assertNotEquals(a, b);
        assertEquals(a.listeningPart(), b.listeningPart());
        assertNotEquals(a.listeningPart(), parse("sip-transports", "tls", "tls-client-auth", "want").listeningPart());
        assertNotEquals(a.listeningPart(), parse("sip-transports", "tls", "sip-tls-port", "6000").listeningPart());
    }

    @Test
    public void connectionLimitsApplyLive() {
        assertEquals(new ConnectionLimits(64, 900), parse().connections());
        TransportSettings s = parse("max-connections-per-address", "3", "idle-timeout", "0");
        assertEquals(new ConnectionLimits(3, 0), s.connections());
        assertEquals(parse().listeningPart(), s.listeningPart());
        refused("max-connections-per-address", "0");
        refused("idle-timeout", "-1");
    }

    @Test
    public void keepAliveTimeoutShorterThanInterval() {
        assertEquals(new KeepAliveSettings(30, 10_000), parse().keepAlive());
        assertEquals(new KeepAliveSettings(2, 1500), parse("keepalive-interval", "2", "keepalive-timeout", "1500").keepAlive());
        refused("keepalive-interval", "1", "keepalive-timeout", "1000");
        assertFalse(parse("keepalive-interval", "0").keepAlive().enabled());
    }

    @Test
    public void unknownTransportIsRefusedNamingIt() {
        InvalidConfigException e = refused("sip-transports", "udp,sctp");
        assertTrue(e.getMessage(), e.getMessage().contains("sip-transports"));
        assertTrue(e.getMessage(), e.getMessage().contains("sctp"));
    }

    @Test
    public void otherLimitsAreChecked() {
        assertTrue(refused("stack-threads", "0").getMessage().contains("stack-threads"));
        assertTrue(refused("max-transactions", "99").getMessage().contains("max-transactions"));
        assertTrue(refused("max-message-size", "1023").getMessage().contains("max-message-size"));
        assertTrue(refused("udp-buffer-size", "1000").getMessage().contains("udp-buffer-size"));
    }

    @Test
    public void transportsFromArrayOrCommaListAreTheSameSettings() {
        // equal settings mean the stack is not restarted on a no-op update
        assertEquals(parse("sip-transports", new String[] {"udp", "tcp"}), parse("sip-transports", " TCP , udp "));
        assertEquals(parse(), parse("sip-transports", new String[0]));
        assertNotEquals(parse(), parse("sip-transports", "udp"));
        assertEquals(parse(), parse("sip-port", 5060));
    }

    @Test
    public void bindsAllInterfaces() {
        assertTrue(parse().bindsAllInterfaces());
        assertTrue(parse("sip-address", "").bindsAllInterfaces());
        assertTrue(parse("sip-address", "0.0.0.0").bindsAllInterfaces());
        assertTrue(parse("sip-address", "::").bindsAllInterfaces());
        assertFalse(parse("sip-address", "10.0.0.5").bindsAllInterfaces());
        assertFalse(parse("sip-address", "proxy.example.com").bindsAllInterfaces());
        assertFalse(parse("sip-address", "127.0.0.1").bindsAllInterfaces());
    }
}
