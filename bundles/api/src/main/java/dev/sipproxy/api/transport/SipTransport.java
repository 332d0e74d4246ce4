package dev.sipproxy.api.transport;

import dev.sipproxy.api.SipTransportType;

import java.util.List;

import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/**
 * The running JAIN-SIP stack: its provider (all listening points), its factories, and what the
 * proxy's own address is. Registered only while at least one listening point is up.
 */
public interface SipTransport {

    SipProvider provider();

    MessageFactory messageFactory();

    HeaderFactory headerFactory();

    AddressFactory addressFactory();

    List<ListeningPointInfo> listeningPoints();

    /** The port the proxy listens on for {@code transport}, or -1 if it does not listen on it. */
    int port(SipTransportType transport);

    /**
     * The host to write in Via and Record-Route for a message sent towards {@code destinationIp}:
     * the configured advertised address or bind address; when bound to all interfaces, 127.0.0.1
     * towards loopback and the host's main address otherwise.
     */
    String advertisedHost(String destinationIp);

    /** True when {@code host:port} names this proxy (one of its addresses and one of its ports). */
    boolean isOwnAddress(String host, int port);
}
