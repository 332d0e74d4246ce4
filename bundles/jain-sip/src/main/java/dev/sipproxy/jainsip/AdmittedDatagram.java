package dev.sipproxy.jainsip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;

import java.net.DatagramPacket;

/** A received datagram holding a new dialog that its listening point admitted on receipt. */
final class AdmittedDatagram extends DatagramQueuedMessageDispatch {
    AdmittedDatagram(DatagramPacket packet, long receptionTime) {
        super(packet, receptionTime);
    }
}
