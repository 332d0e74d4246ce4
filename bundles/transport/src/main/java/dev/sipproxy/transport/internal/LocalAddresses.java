package dev.sipproxy.transport.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The proxy's own addresses: which host to write in Via and Record-Route, and whether a host:port
 * in a Route or Request-URI is this proxy. Computed once per listener start; lookups do no DNS.
 */
final class LocalAddresses {
    private final Optional<String> fixedHost;
    private final String mainAddress;
    private final Set<String> ownHosts;
    private final Set<Integer> ownPorts;

    private LocalAddresses(Optional<String> fixedHost, String mainAddress, Set<String> ownHosts, Set<Integer> ownPorts) {
        this.fixedHost = fixedHost;
        this.mainAddress = mainAddress;
        this.ownHosts = ownHosts;
        this.ownPorts = ownPorts;
    }

    static LocalAddresses of(TransportSettings s, String resolvedBindAddress, Set<Integer> ports) {
        Set<String> hosts = new HashSet<>();
        s.advertisedAddress().ifPresent(hosts::add);
        Optional<String> fixed = s.advertisedAddress();
        if (s.bindsAllInterfaces()) {
            hosts.addAll(interfaceAddresses());
            hosts.add("localhost");
        } else {
            hosts.add(s.sipAddress().get());
            hosts.add(resolvedBindAddress);
            if (fixed.isEmpty()) {
                fixed = Optional.of(resolvedBindAddress);
            }
        }
        Set<String> normalized = new HashSet<>();
        hosts.forEach(h -> normalized.add(normalize(h)));
        return new LocalAddresses(fixed, mainAddress(), Set.copyOf(normalized), Set.copyOf(ports));
    }

    String advertisedHost(String destinationIp) {
        if (fixedHost.isPresent()) {
            return fixedHost.get();
        }
        return isLoopback(destinationIp) ? "127.0.0.1" : mainAddress;
    }

    boolean isOwn(String host, int port) {
        if (host == null) {
            return false;
        }
        return ownPorts.contains(port <= 0 ? 5060 : port) && ownHosts.contains(normalize(host));
    }

    /**
     * One spelling per host: host names lower-case (they are case-insensitive), IPv6 literals without
     * brackets in Java's full form, so that {@code [::1]} and {@code 0:0:0:0:0:0:0:1} are the same.
     * No DNS: only literals are parsed.
     */
    static String normalize(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone);
        }
        if (h.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName(h).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return h.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return h.toLowerCase(java.util.Locale.ROOT);
    }

    Set<String> hosts() {
        return ownHosts;
    }

    private static boolean isLoopback(String ip) {
        return ip == null || ip.startsWith("127.") || ip.equals("::1") || ip.equals("localhost");
    }

    private static Set<String> interfaceAddresses() {
        Set<String> out = new HashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int zone = text.indexOf('%');
                    out.add(zone >= 0 ? text.substring(0, zone) : text);
                }
            }
        } catch (SocketException e) {
            out.add("127.0.0.1");
        }
        return out;
    }

    /** The first IPv4 address of an interface that is up and not loopback; 127.0.0.1 if there is none. */
    private static String mainAddress() {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through
        }
        return "127.0.0.1";
    }
}
