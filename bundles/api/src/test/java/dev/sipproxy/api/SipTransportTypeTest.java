package dev.sipproxy.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

public class SipTransportTypeTest {

    @Test
    public void parsesAnyCaseAndBlanks() {
        assertEquals(SipTransportType.UDP, SipTransportType.parse("udp"));
        assertEquals(SipTransportType.TCP, SipTransportType.parse("TCP"));
        assertEquals(SipTransportType.TLS, SipTransportType.parse(" Tls "));
    }

    @Test
    public void unknownTransportIsRefusedNamingIt() {
        try {
            SipTransportType.parse("sctp");
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'sctp'"));
            assertTrue(e.getMessage(), e.getMessage().contains("udp, tcp or tls"));
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void nullIsRefused() {
        SipTransportType.parse(null);
    }

    @Test(expected = IllegalArgumentException.class)
    public void emptyIsRefused() {
        SipTransportType.parse("");
    }

    @Test
    public void tokenIsLowerCaseAndParsesBack() {
        for (SipTransportType t : SipTransportType.values()) {
            assertEquals(t.name().toLowerCase(java.util.Locale.ROOT), t.token());
            assertEquals(t, SipTransportType.parse(t.token()));
        }
    }

    @Test
    public void onlyUdpIsUnreliable() {
        assertFalse(SipTransportType.UDP.isReliable());
        assertTrue(SipTransportType.TCP.isReliable());
        assertTrue(SipTransportType.TLS.isReliable());
    }
}
