package dev.sipproxy.api.transport;

import javax.sip.SipListener;

/**
 * The component that handles what the transport receives: the proxy core. The transport keeps its
 * sockets while handlers come and go (a bundle update); with no handler it drops what arrives, and
 * UDP retransmission or the peer's TCP timers cover the gap.
 */
public interface SipMessageHandler extends SipListener {
}
