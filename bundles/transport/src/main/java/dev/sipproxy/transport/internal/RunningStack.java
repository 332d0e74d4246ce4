package dev.sipproxy.transport.internal;

import dev.sipproxy.api.EventLog;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.transport.ListeningPointInfo;
import dev.sipproxy.api.transport.NewDialogScreen;
import dev.sipproxy.api.transport.SipTransport;

import dev.sipproxy.jainsip.net.DatagramSocketKind;
import dev.sipproxy.jainsip.net.NewDialogScreens;
import dev.sipproxy.jainsip.net.ReceiveBacklog;
import dev.sipproxy.jainsip.net.StackConnections;
import dev.sipproxy.jainsip.net.StackTls;

import gov.nist.javax.sip.SipStackImpl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started JAIN-SIP stack with the listening points the settings ask for. A listening point
 * that cannot be opened is reported (event 40006) and the others still start.
 */
final class RunningStack implements SipTransport {
    private static final Logger LOG = LoggerFactory.getLogger(RunningStack.class);

    private final SipStackImpl stack;
    private final SipProvider provider;
    private final MessageFactory messageFactory;
    private final HeaderFactory headerFactory;
    private final AddressFactory addressFactory;
    private final List<ListeningPointInfo> listening;
    private final LocalAddresses local;

    private RunningStack(SipStackImpl stack, SipProvider provider, List<ListeningPointInfo> listening,
                         LocalAddresses local) throws PeerUnavailableException {
        this.stack = stack;
        this.provider = provider;
        this.listening = List.copyOf(listening);
        this.local = local;
        SipFactory factory = SipFactory.getInstance();
        this.messageFactory = factory.createMessageFactory();
        this.headerFactory = factory.createHeaderFactory();
        this.addressFactory = factory.createAddressFactory();
    }

    private static final AtomicInteger STACKS = new AtomicInteger();

    /**
     * Starts a stack. Returns null, after logging why, when not a single listening point could be opened.
     *
     * @param tls          the transport's TLS context
     * @param tlsUnusable  why the TLS listening point cannot open (no or unreadable key material), or null
     */
    static RunningStack start(TransportSettings settings, SipListener listener, TlsContext tls, String tlsUnusable) {
        return start(settings, listener, tls, tlsUnusable, ip -> false);
    }

    /** As above; {@code isSipServer} tells SIP Servers' IPs, for their own client-certificate policy. */
    static RunningStack start(TransportSettings settings, SipListener listener, TlsContext tls, String tlsUnusable,
                              java.util.function.Predicate<String> isSipServer) {
        String bindIp;
        try {
            bindIp = InetAddress.getByName(settings.bindAddress()).getHostAddress();
        } catch (UnknownHostException e) {
            EventLog.log(ProxyEvent.SPR_HOST_NOT_RESOLVED, "sip-address '{}' does not resolve to an address", settings.bindAddress());
            EventLog.log(ProxyEvent.SPR_SIP_LISTENER_CANNOT_START, "cannot listen on {}:{}: the address does not resolve",
                    settings.bindAddress(), settings.sipPort());
            return null;
        }
        String stackName = "sip-proxy-" + STACKS.incrementAndGet();
        StackTls.register(stackName, new StackTls(tls.sslContext(), StackProperties.TLS_PROTOCOLS, settings.tls().clientAuth(),
                settings.tls().sipServerClientAuth(), isSipServer));
        StackConnections.of(stackName).limitPerAddress(settings.connections().maxPerAddress());
        SipStackImpl stack;
        try {
            stack = new BranchMatchingSipStack(StackProperties.of(settings, stackName,
                    List.of(tls.sslContext().getDefaultSSLParameters().getCipherSuites())));
        } catch (PeerUnavailableException e) {
            StackTls.unregister(stackName);
            EventLog.log(ProxyEvent.SPR_SIP_LISTENER_CANNOT_START, "the SIP stack cannot be created: {}", e.getMessage());
            return null;
        }
        SipProvider provider = null;
        List<ListeningPointInfo> opened = new ArrayList<>();
        for (SipTransportType t : List.of(SipTransportType.UDP, SipTransportType.TCP, SipTransportType.TLS)) {
            if (!settings.transports().contains(t)) {
                continue;
            }
            int port = t == SipTransportType.TLS ? settings.tls().port() : settings.sipPort();
            if (t == SipTransportType.TLS && tlsUnusable != null) {
                EventLog.log(ProxyEvent.SPR_SIP_LISTENER_CANNOT_START, "cannot listen for SIP over TLS on {}:{}: {}",
                        bindIp, port, tlsUnusable);
                continue;
            }
            try {
                ListeningPoint lp = stack.createListeningPoint(bindIp, port, t.token());
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                    provider.addSipListener(listener);
                } else {
                    provider.addListeningPoint(lp);
                }
                opened.add(new ListeningPointInfo(t, bindIp, port));
                if (t == SipTransportType.TLS) {
                    LOG.info("Listening for SIP over TLS on {}:{} with certificate {}, protocols {}, client certificate {} (SIP Servers {})",
                            bindIp, port, tls.material().description(), StackProperties.TLS_PROTOCOLS,
                            settings.tls().clientAuth().name().toLowerCase(java.util.Locale.ROOT),
                            settings.tls().sipServerClientAuth().name().toLowerCase(java.util.Locale.ROOT));
                } else if (t == SipTransportType.UDP) {
                    LOG.info("Listening for SIP over UDP on {}:{} ({})", bindIp, port, DatagramSocketKind.current());
                } else {
                    LOG.info("Listening for SIP over {} on {}:{}", t, bindIp, port);
                }
            } catch (Exception e) {
                EventLog.log(ProxyEvent.SPR_SIP_LISTENER_CANNOT_START, "cannot listen for SIP over {} on {}:{}: {}",
                        t, bindIp, port, rootMessage(e));
            }
        }
        if (provider == null) {
            stop(stack);
            StackTls.unregister(stackName);
            return null;
        }
        try {
            stack.start();
            Set<Integer> ports = new HashSet<>();
            opened.forEach(lp -> ports.add(lp.port()));
            return new RunningStack(stack, provider, opened, LocalAddresses.of(settings, bindIp, ports));
        } catch (Exception e) {
            EventLog.log(ProxyEvent.SPR_SIP_LISTENER_CANNOT_START, "the SIP stack cannot start: {}", rootMessage(e));
            stop(stack);
            StackTls.unregister(stackName);
            return null;
        }
    }

    void stop() {
        stop(stack);
        StackTls.unregister(stack.getStackName());
        StackConnections.forget(stack.getStackName());
        LOG.info("SIP listening points closed: {}", listening);
    }

    /**
     * Stops the stack, again if the first attempt fails: JAIN-SIP's UDP processor walks its list of
     * channel threads unguarded, and a stop right after a start can meet a thread still adding itself
     * (ConcurrentModificationException), which would leave sockets open.
     */
    private static void stop(SipStackImpl stack) {
        for (int attempt = 1; ; attempt++) {
            try {
                stack.stop();
                return;
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    LOG.warn("The SIP stack did not stop cleanly: {}", e.toString());
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public SipProvider provider() {
        return provider;
    }

    @Override
    public MessageFactory messageFactory() {
        return messageFactory;
    }

    @Override
    public HeaderFactory headerFactory() {
        return headerFactory;
    }

    @Override
    public AddressFactory addressFactory() {
        return addressFactory;
    }

    @Override
    public List<ListeningPointInfo> listeningPoints() {
        return listening;
    }

    @Override
    public int port(SipTransportType transport) {
        for (ListeningPointInfo lp : listening) {
            if (lp.transport() == transport) {
                return lp.port();
            }
        }
        return -1;
    }

    @Override
    public String advertisedHost(String destinationIp) {
        return local.advertisedHost(destinationIp);
    }

    @Override
    public boolean isOwnAddress(String host, int port) {
        return local.isOwn(host, port);
    }

    @Override
    public long receiveBacklogMillis() {
        return ReceiveBacklog.oldestWaitMillis(stack);
    }

    @Override
    public long datagramReceiveBacklogMillis() {
        return ReceiveBacklog.datagramWaitMillis(stack);
    }

    @Override
    public long streamReceiveBacklogMillis() {
        return ReceiveBacklog.streamWaitMillis(stack);
    }

    @Override
    public void screenNewDialogs(NewDialogScreen screen) {
        NewDialogScreens.install(stack, screen == null ? null : new ScreenAdapter(screen));
    }

    @Override
    public boolean admittedOnReceipt() {
        return NewDialogScreens.admittedOnReceipt();
    }

    /** The proxy's screen as the stack's listening points take it. */
    private record ScreenAdapter(NewDialogScreen screen) implements dev.sipproxy.jainsip.net.NewDialogScreen {
        @Override
        public boolean admitNewDialog() {
            return screen.admitNewDialog();
        }

        @Override
        public int retryAfterSeconds() {
            return screen.retryAfterSeconds();
        }

        @Override
        public String newRefusalTag() {
            return screen.newRefusalTag();
        }

        @Override
        public boolean isRefusalTag(String tag) {
            return screen.isRefusalTag(tag);
        }

        @Override
        public void refused() {
            screen.refused();
        }
    }

    @Override
    public long lastStaleDropMillis() {
        return ReceiveBacklog.lastDropMillis(stack);
    }

    SipStackImpl stack() {
        return stack;
    }

    /** The TCP and TLS connections of this stack. */
    StackConnections connections() {
        return StackConnections.of(stack.getStackName());
    }

    boolean listensOn(SipTransportType t) {
        return port(t) > 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
