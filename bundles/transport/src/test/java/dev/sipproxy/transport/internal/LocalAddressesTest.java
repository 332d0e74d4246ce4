package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Set;

import org.junit.Test;

public class LocalAddressesTest {
    private static final Set<Integer> SIP_PORT = Set.of(5060);

    private static TransportSettings settings(Object... keyValues) {
        return TransportSettingsTest.parse(keyValues);
    }

    // ---- advertisedHost ----

    @Test
    public void configuredAdvertisedAddressWinsOverTheBoundAddress() {
        LocalAddresses a = LocalAddresses.of(settings("sip-address", "10.0.0.5", "sip-advertised-address", "proxy.example.com"),
                "10.0.0.5", SIP_PORT);
        assertEquals("proxy.example.com", a.advertisedHost("198.51.100.7"));
        assertEquals("proxy.example.com", a.advertisedHost("127.0.0.1"));
    }

    @Test
    public void configuredAdvertisedAddressWinsWhenBoundToAllInterfaces() {
        LocalAddresses a = LocalAddresses.of(settings("sip-advertised-address", "203.0.113.1"), "0.0.0.0", SIP_PORT);
        assertEquals("203.0.113.1", a.advertisedHost("198.51.100.7"));
        assertEquals("203.0.113.1", a.advertisedHost("127.0.0.1"));
        assertTrue(a.isOwn("203.0.113.1", 5060));
    }

    @Test
    public void boundAddressIsAdvertisedWithoutConfiguredOne() {
        LocalAddresses a = LocalAddresses.of(settings("sip-address", "10.0.0.5"), "10.0.0.5", SIP_PORT);
        assertEquals("10.0.0.5", a.advertisedHost("198.51.100.7"));
        assertEquals("10.0.0.5", a.advertisedHost("127.0.0.1"));
    }

    @Test
    public void boundHostNameIsAdvertisedAsTheAddressItResolvedTo() {
        LocalAddresses a = LocalAddresses.of(settings("sip-address", "proxy1.example.com"), "10.0.0.5", SIP_PORT);
        assertEquals("10.0.0.5", a.advertisedHost("198.51.100.7"));
        assertTrue(a.isOwn("proxy1.example.com", 5060));
        assertTrue(a.isOwn("10.0.0.5", 5060));
    }

    @Test
    public void boundToAllInterfacesAdvertisesLoopbackTowardsLoopback() {
        LocalAddresses a = LocalAddresses.of(settings(), "0.0.0.0", SIP_PORT);
        assertEquals("127.0.0.1", a.advertisedHost("127.0.0.1"));
        assertEquals("127.0.0.1", a.advertisedHost("127.1.2.3"));
        assertEquals("127.0.0.1", a.advertisedHost("::1"));
        assertEquals("127.0.0.1", a.advertisedHost("localhost"));
    }

    @Test
    public void boundToAllInterfacesAdvertisesAnOwnIpv4AddressTowardsOthers() {
        LocalAddresses a = LocalAddresses.of(settings(), "0.0.0.0", SIP_PORT);
        String host = a.advertisedHost("198.51.100.7");
        assertTrue(host, host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"));
        // whatever the proxy writes in Via and Record-Route, it recognizes as its own when it comes back
        assertTrue(host, a.isOwn(host, 5060));
    }

    // ---- isOwn ----

    @Test
    public void isOwnMatchesHostAndPort() {
        LocalAddresses a = LocalAddresses.of(settings("sip-address", "10.0.0.5", "sip-port", "5070"), "10.0.0.5", Set.of(5070));
        assertTrue(a.isOwn("10.0.0.5", 5070));
        assertFalse(a.isOwn("10.0.0.5", 5060));
        assertFalse(a.isOwn("10.0.0.6", 5070));
        assertFalse(a.isOwn(null, 5070));
    }

    @Test
    public void missingPortMeans5060() {
        LocalAddresses a = LocalAddresses.of(settings("sip-address", "10.0.0.5"), "10.0.0.5", SIP_PORT);
        assertTrue(a.isOwn("10.0.0.5", -1));
        assertTrue(a.isOwn("10.0.0.5", 0));
        assertTrue(a.isOwn("10.0.0.5", 5060));
        assertFalse(a.isOwn("10.0.0.5", 5061));

        LocalAddresses other = LocalAddresses.of(settings("sip-address", "10.0.0.5", "sip-port", "5070"), "10.0.0.5", Set.of(5070));
        assertFalse(other.isOwn("10.0.0.5", -1));
    }

    @Test
    public void boundToOneAddressOtherAddressesAreNotOwn() {
        LocalAddresses a = LocalAddresses.of(settings("sip-address", "10.0.0.5"), "10.0.0.5", SIP_PORT);
        assertFalse(a.isOwn("127.0.0.1", 5060));
        assertFalse(a.isOwn("localhost", 5060));
    }

    @Test
    public void boundToAllInterfacesLoopbackAndLocalhostAreOwn() {
        LocalAddresses a = LocalAddresses.of(settings(), "0.0.0.0", SIP_PORT);
        assertTrue(a.isOwn("127.0.0.1", 5060));
        assertTrue(a.isOwn("localhost", 5060));
        assertTrue(a.isOwn("LOCALHOST", 5060));
        assertTrue(a.isOwn("127.0.0.1", -1));
        assertFalse(a.isOwn("127.0.0.1", 5080));
        assertFalse(a.isOwn("198.51.100.7", 5060));
    }

    @Test
    public void bracketedIpv6HostIsMatched() {
        LocalAddresses a = LocalAddresses.of(settings("sip-address", "2001:db8::5"), "2001:db8:0:0:0:0:0:5", SIP_PORT);
        assertTrue(a.isOwn("[2001:db8::5]", 5060));
        assertTrue(a.isOwn("2001:db8::5", 5060));
        assertFalse(a.isOwn("[2001:db8::6]", 5060));
    }

    @Test
    public void hostNamesAreCaseInsensitive() {
        LocalAddresses a = LocalAddresses.of(settings("sip-address", "Proxy1.Example.com", "sip-advertised-address", "SIP.Example.com"),
                "10.0.0.5", SIP_PORT);
        // the proxy writes "SIP.Example.com" in its Record-Route; the Route that comes back must be its own
        assertEquals("SIP.Example.com", a.advertisedHost("198.51.100.7"));
        assertTrue(a.isOwn("SIP.Example.com", 5060));
        assertTrue(a.isOwn("sip.example.com", 5060));
        assertTrue(a.isOwn("Proxy1.Example.com", 5060));
        assertTrue(a.isOwn("proxy1.example.com", 5060));
    }

    @Test
    public void boundToAllInterfacesCompressedIpv6LoopbackIsOwn() throws Exception {
        boolean hasV6Loopback = false;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress ia : Collections.list(ni.getInetAddresses())) {
                hasV6Loopback |= ia instanceof Inet6Address && ia.isLoopbackAddress();
            }
        }
        assumeTrue("no IPv6 loopback on this host", hasV6Loopback);
        LocalAddresses a = LocalAddresses.of(settings(), "0.0.0.0", SIP_PORT);
        assertTrue(a.isOwn("[::1]", 5060));
    }
}
