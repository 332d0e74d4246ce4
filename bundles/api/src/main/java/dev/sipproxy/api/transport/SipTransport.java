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

    /**
     * How far the proxy is behind, in milliseconds: how long the oldest message received on any
     * listening point and not yet taken up for processing has waited; 0 when none waits. A few
     * milliseconds when healthy; cheap enough to sample many times a second.
     */
    long receiveBacklogMillis();

    /**
     * The {@link #receiveBacklogMillis()} of what came over UDP, whose senders retransmit what is
     * not answered within SIP's T1 (500 ms).
     */
    default long datagramReceiveBacklogMillis() {
        return receiveBacklogMillis();
    }

    /** The {@link #receiveBacklogMillis()} of what came over TCP or TLS, where nothing is retransmitted. */
    default long streamReceiveBacklogMillis() {
        return receiveBacklogMillis();
    }

    /**
     * When the proxy last dropped a received message unprocessed because it had waited too long
     * (wall clock, milliseconds); 0 if never. Over UDP the sender retransmits it.
     */
    long lastStaleDropMillis();

    /**
     * Lets {@code screen} admit or refuse new dialogs over UDP as they are received, before they
     * are parsed or wait for a worker thread (null: no screen): under overload a refusal then costs a
     * few microseconds, not a parsed request. A retransmission gets the first decision again; the
     * ACK of a refusal is dropped unparsed. What the transport cannot read with certainty is not
     * screened and is to be decided after parsing.
     */
    default void screenNewDialogs(NewDialogScreen screen) {
    }

    /**
     * True while the request being processed on this thread is a new INVITE (or a retransmission
     * of one) that {@link #screenNewDialogs its screen} admitted on receipt: not to be admitted again.
     */
    default boolean admittedOnReceipt() {
        return false;
    }

    /** The {@link #receiveBacklogMillis()} from which this proxy counts as behind on what it received. */
    long BEHIND_MILLIS = 100;

    /**
     * True when the proxy is behind on what it received now, or dropped a stale message since
     * {@code sinceMillis} (wall clock): an answer that seems missing since then may be waiting in
     * its own queue or have been dropped by it, so silence is no proof that a peer is down.
     */
    default boolean behindSince(long sinceMillis) {
        return receiveBacklogMillis() >= BEHIND_MILLIS || lastStaleDropMillis() >= sinceMillis;
    }
}
