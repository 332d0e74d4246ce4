package dev.sipproxy.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

public class HostPortTest {

    @Test
    public void parsesHostAndPort() {
        HostPort hp = HostPort.parse("sips1.example.com:5070", 5060);
        assertEquals("sips1.example.com", hp.host());
        assertEquals(5070, hp.port());
    }

    @Test
    public void parsesIpv4AndPort() {
        assertEquals(new HostPort("10.0.0.1", 5080), HostPort.parse("10.0.0.1:5080", 5060));
    }

    @Test
    public void bareHostGetsTheDefaultPort() {
        assertEquals(new HostPort("10.0.0.1", 5060), HostPort.parse("10.0.0.1", 5060));
        assertEquals(new HostPort("sips1", 5061), HostPort.parse("sips1", 5061));
    }

    @Test
    public void surroundingBlanksAreIgnored() {
        assertEquals(new HostPort("10.0.0.1", 5070), HostPort.parse("  10.0.0.1:5070 \t", 5060));
    }

    @Test
    public void parsesBracketedIpv6WithPort() {
        HostPort hp = HostPort.parse("[2001:db8::1]:5070", 5060);
        assertEquals("2001:db8::1", hp.host());
        assertEquals(5070, hp.port());
    }

    @Test
    public void bracketedIpv6WithoutPortGetsTheDefault() {
        assertEquals(new HostPort("2001:db8::1", 5060), HostPort.parse("[2001:db8::1]", 5060));
    }

    @Test
    public void bareIpv6LiteralIsAHostWithTheDefaultPort() {
        assertEquals(new HostPort("2001:db8::1", 5060), HostPort.parse("2001:db8::1", 5060));
    }

    @Test
    public void toStringBracketsIpv6AndRoundTrips() {
        HostPort v6 = new HostPort("2001:db8::1", 5070);
        assertEquals("[2001:db8::1]:5070", v6.toString());
        assertEquals(v6, HostPort.parse(v6.toString(), 5060));
        HostPort v4 = new HostPort("10.0.0.1", 5060);
        assertEquals("10.0.0.1:5060", v4.toString());
        assertEquals(v4, HostPort.parse(v4.toString(), 1));
    }

    @Test
    public void portThatIsNotANumberIsRefusedWithAClearMessage() {
        IllegalArgumentException e = expectIae("sips1:50a0");
        assertTrue(e.getMessage(), e.getMessage().contains("'50a0'"));
        assertTrue(e.getMessage(), e.getMessage().contains("'sips1:50a0'"));
        assertTrue(e.getMessage(), e.getMessage().contains("not a port number"));
    }

    @Test
    public void emptyPortIsRefused() {
        IllegalArgumentException e = expectIae("sips1:");
        assertTrue(e.getMessage(), e.getMessage().contains("not a port number"));
        e = expectIae("[2001:db8::1]:");
        assertTrue(e.getMessage(), e.getMessage().contains("not a port number"));
    }

    @Test
    public void portOutOfRangeIsRefused() {
        IllegalArgumentException e = expectIae("sips1:70000");
        assertTrue(e.getMessage(), e.getMessage().contains("70000"));
        assertTrue(e.getMessage(), e.getMessage().contains("1-65535"));
        e = expectIae("sips1:0");
        assertTrue(e.getMessage(), e.getMessage().contains("1-65535"));
        e = expectIae("[::1]:65536");
        assertTrue(e.getMessage(), e.getMessage().contains("65536"));
        assertEquals(65535, HostPort.parse("sips1:65535", 5060).port());
        assertEquals(1, HostPort.parse("sips1:1", 5060).port());
    }

    @Test
    public void emptyTextIsRefused() {
        assertTrue(expectIae(null).getMessage().contains("empty"));
        assertTrue(expectIae("   ").getMessage().contains("empty"));
        assertTrue(expectIae(":5060").getMessage().contains("empty host"));
    }

    @Test
    public void malformedBracketsAreRefused() {
        assertTrue(expectIae("[2001:db8::1:5060").getMessage().contains("no closing ']'"));
        assertTrue(expectIae("[2001:db8::1]5060").getMessage().contains("is not [host]:port"));
    }

    private static IllegalArgumentException expectIae(String text) {
        try {
            HostPort hp = HostPort.parse(text, 5060);
            fail("'" + text + "' parsed as " + hp);
            return null;
        } catch (IllegalArgumentException e) {
            return e;
        }
    }
}
