package dev.sipproxy.jainsip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;

import java.net.DatagramPacket;

/**
 * A received datagram of new work, which waits behind the calls in progress ({@link UdpReceiveQueue}):
 * a new dialog its listening point admitted on receipt, or a CANCEL (which must not overtake its INVITE).
 */
final class LaterDatagram extends DatagramQueuedMessageDispatch {
    private final boolean admitted;

    LaterDatagram(DatagramPacket packet, long receptionTime, boolean admitted) {
        super(packet, receptionTime);
        this.admitted = admitted;
    }

    /** A new dialog admitted on receipt (false: a CANCEL). */
    boolean admitted() {
        return admitted;
    }
}
