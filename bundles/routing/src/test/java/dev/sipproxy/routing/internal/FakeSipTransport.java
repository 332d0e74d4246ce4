package dev.sipproxy.routing.internal;

import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.transport.ListeningPointInfo;
import dev.sipproxy.api.transport.SipTransport;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/**
 * A transport without sockets: the real JAIN-SIP factories, fixed ports, and an own address that is
 * {@link #OWN_IP} towards everyone except loopback destinations, which see {@code 127.0.0.1}
 * (as when the proxy is bound to all interfaces).
 */
final class FakeSipTransport implements SipTransport {
    static final String OWN_IP = "192.0.2.10";

    final Map<SipTransportType, Integer> ports = new EnumMap<>(SipTransportType.class);
    final Set<String> ownHosts = new HashSet<>(Set.of(OWN_IP, "127.0.0.1", "proxy.example.com"));
    /** The host advertised towards non-loopback destinations. */
    String ownHost = OWN_IP;

    FakeSipTransport() {
        ports.put(SipTransportType.UDP, 5060);
        ports.put(SipTransportType.TCP, 5060);
    }

    @Override
    public SipProvider provider() {
        throw new UnsupportedOperationException("no provider in unit tests");
    }

    @Override
    public MessageFactory messageFactory() {
        return Sip.MESSAGES;
    }

    @Override
    public HeaderFactory headerFactory() {
        return Sip.HEADERS;
    }

    @Override
    public AddressFactory addressFactory() {
        return Sip.ADDRESSES;
    }

    @Override
    public List<ListeningPointInfo> listeningPoints() {
        List<ListeningPointInfo> out = new ArrayList<>();
        ports.forEach((t, p) -> out.add(new ListeningPointInfo(t, "0.0.0.0", p)));
        return out;
    }

    @Override
    public int port(SipTransportType transport) {
        return ports.getOrDefault(transport, -1);
    }

    @Override
    public String advertisedHost(String destinationIp) {
        return destinationIp != null && destinationIp.startsWith("127.") ? "127.0.0.1" : ownHost;
    }

    @Override
    public boolean isOwnAddress(String host, int port) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int p = port <= 0 ? 5060 : port;
        return ports.containsValue(p) && ownHosts.contains(h.toLowerCase(Locale.ROOT));
    }

    @Override
    public long receiveBacklogMillis() {
        return 0;
    }

    @Override
    public long lastStaleDropMillis() {
        return 0;
    }
}
