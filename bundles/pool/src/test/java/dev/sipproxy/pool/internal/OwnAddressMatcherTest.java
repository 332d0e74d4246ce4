package dev.sipproxy.pool.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.HostPort;

import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

public class OwnAddressMatcherTest {
    /** This proxy listens on 10.0.0.2 port 5060 (as the transport would say). */
    private static final OwnAddressMatcher.OwnCheck TRANSPORT = (host, port) -> port == 5060 && Hosts.normalize(host).equals("10.0.0.2");

    private final List<String> lookups = new ArrayList<>();
    private final Hosts.Resolver dns = host -> {
        lookups.add(host);
        Map<String, List<String>> zone = Map.of(
                "proxy-a.example.com", List.of("10.0.0.1"),
                "proxy-b.example.com", List.of("10.0.0.2"),
                "both.example.com", List.of("10.0.0.9", "10.0.0.2"));
        List<String> ips = zone.get(host);
        if (ips == null) {
            throw new UnknownHostException(host);
        }
        return ips;
    };

    private static List<HostPort> list(String... entries) {
        List<HostPort> out = new ArrayList<>();
        for (String e : entries) {
            out.add(HostPort.parse(e, 5060));
        }
        return out;
    }

    private OwnAddressMatcher.Result match(List<HostPort> instances) {
        return OwnAddressMatcher.match(instances, Optional.empty(), TRANSPORT, dns);
    }

    @Test
    public void ipLiteralOfAListeningPointIsFoundWithoutDns() {
        OwnAddressMatcher.Result r = match(list("10.0.0.1:5060", "10.0.0.2:5060"));
        assertTrue(r.found());
        assertEquals(Set.of(new HostPort("10.0.0.2", 5060)), r.self());
        assertEquals(List.of(), lookups);
    }

    @Test
    public void theRightAddressOnTheWrongPortIsNotThisInstance() {
        OwnAddressMatcher.Result r = match(list("10.0.0.1:5060", "10.0.0.2:5070"));
        assertFalse(r.found());
    }

    @Test
    public void hostNamesAreResolvedAndAnyOfTheirAddressesCounts() {
        assertEquals(Set.of(new HostPort("proxy-b.example.com", 5060)),
                match(list("proxy-a.example.com:5060", "proxy-b.example.com:5060")).self());
        assertEquals(Set.of(new HostPort("both.example.com", 5060)), match(list("both.example.com")).self());
    }

    @Test
    public void aNameThatDoesNotResolveMatchesNothingAndIsReportedOnce() {
        OwnAddressMatcher.Result r = match(list("nowhere.example.com:5060", "nowhere.example.com:5070", "10.0.0.1:5060"));
        assertFalse(r.found());
        assertEquals(List.of("nowhere.example.com"), r.unresolved());
        assertEquals("resolved once", 1, lookups.size());
    }

    @Test
    public void ownAddressIsLookedUpInTheListByTextOrByAddress() {
        Optional<HostPort> own = Optional.of(new HostPort("PROXY-A.example.com", 5060));
        assertEquals(Set.of(new HostPort("proxy-a.example.com", 5060)),
                OwnAddressMatcher.match(list("proxy-a.example.com:5060", "10.0.0.2:5060"), own, TRANSPORT, dns).self());
        // same address, spelled as an IP in the list; the transport's own addresses do not matter then
        assertEquals(Set.of(new HostPort("10.0.0.1", 5060)),
                OwnAddressMatcher.match(list("10.0.0.1:5060", "10.0.0.2:5060"), own, TRANSPORT, dns).self());
        assertFalse(OwnAddressMatcher.match(list("10.0.0.1:5070", "10.0.0.2:5060"), own, TRANSPORT, dns).found());
    }

    @Test
    public void ipv6SpellingsAreTheSame() {
        OwnAddressMatcher.OwnCheck v6 = (host, port) -> port == 5060 && Hosts.normalize(host).equals(Hosts.normalize("::1"));
        assertTrue(OwnAddressMatcher.match(list("[0:0:0:0:0:0:0:1]:5060"), Optional.empty(), v6, dns).found());
        assertTrue(OwnAddressMatcher.match(list("[::1]:5060"), Optional.of(HostPort.parse("[0::1]:5060", 5060)), v6, dns).found());
    }
}
