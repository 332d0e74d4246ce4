package dev.sipproxy.transport.internal;

import dev.sipproxy.api.EventLog;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.config.LastGoodConfig;
import dev.sipproxy.api.transport.ListeningPointInfo;
import dev.sipproxy.api.transport.SipMessageHandler;
import dev.sipproxy.api.transport.SipTransport;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the SIP stack. Registers {@link SipTransport} while it listens; a configuration change that
 * moves the listening points restarts the stack, any other update leaves it untouched. A bad value is
 * refused (event 40003) and the stack keeps running on the last good settings. Every update, even one
 * that changes nothing (a configuration "touched"), reads the TLS key material again: a certificate
 * replaced on disk is then used for new TLS connections, without a restart.
 */
@Component(configurationPid = TransportComponent.PID, immediate = true, service = {})
@Designate(ocd = TransportConfig.class)
public class TransportComponent {
    static final String PID = "dev.sipproxy.transport";
    private static final Logger LOG = LoggerFactory.getLogger(TransportComponent.class);

    private final BundleContext context;
    private final HandlerDispatcher dispatcher = new HandlerDispatcher();
    private volatile SipServerPairs pairs;
    private final StaleConnections stale = new StaleConnections(() -> this.pairs);
    private KeepAlivePinger pinger;
    private IdleConnections idle;
    private UdpListenerWatch udpWatch;

    private final TlsContext tls = new TlsContext();
    private volatile TransportSettings settings;
    private RunningStack running;
    private ServiceRegistration<SipTransport> registration;

    @Activate
    public TransportComponent(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        this.settings = parseOr(properties, TransportSettings.DEFAULTS);
        start();
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        TransportSettings next = parseOr(properties, settings);
        boolean restart = !next.listeningPart().equals(settings.listeningPart());
        settings = next;
        if (restart) {
            stop();
            start();
            return;
        }
        if (pinger != null) {
            pinger.update(settings.keepAlive());
            idle.update(settings.connections().idleTimeoutSeconds());
            running.connections().limitPerAddress(settings.connections().maxPerAddress());
        }
        if (!wantsTls()) {
            return;
        }
        boolean tlsWasUp = running != null && running.listensOn(SipTransportType.TLS);
        String problem = loadTlsMaterial();
        if (problem != null) {
            if (tlsWasUp) {
                EventLog.log(ProxyEvent.SPR_SIP_LISTENER_CANNOT_START,
                        "TLS listening point {}:{} keeps the last good certificate {}: the configured key material cannot be used: {}",
                        settings.bindAddress(), settings.tls().port(), tls.material().description(), problem);
            } else {
                EventLog.log(ProxyEvent.SPR_SIP_LISTENER_CANNOT_START, "cannot listen for SIP over TLS on {}:{}: {}",
                        settings.bindAddress(), settings.tls().port(), problem);
            }
        } else if (tlsWasUp) {
            LOG.info("TLS key material reloaded: certificate {} for new connections", tls.material().description());
        } else {
            // The TLS listening point was missing for want of key material: it needs the stack restarted.
            stop();
            start();
        }
    }

    /** True when {@code ip} is the address of a member of a configured SIP Server pair. */
    private boolean isSipServer(String ip) {
        SipServerPairs p = pairs;
        return p != null && p.pairs().stream().anyMatch(pair -> pair.members().stream().anyMatch(m -> ip.equals(m.ip())));
    }

    private boolean wantsTls() {
        return settings.transports().contains(SipTransportType.TLS);
    }

    /** Reads the configured key material into the TLS context; returns why it cannot be used, or null. */
    private String loadTlsMaterial() {
        try {
            tls.use(TlsMaterial.load(settings.tls().material()));
            return null;
        } catch (TlsMaterial.Unusable e) {
            return e.getMessage();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        dispatcher.close();
        stop();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHandler(SipMessageHandler h) {
        dispatcher.setHandler(h);
    }

    void unbindHandler(SipMessageHandler h) {
        dispatcher.removeHandler(h);
    }

    /** The SIP Server pairs, whose TCP and TLS members get keep-alive pings (the health bundle; may be absent). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPairs(SipServerPairs p) {
        this.pairs = p;
    }

    void unbindPairs(SipServerPairs p) {
        if (this.pairs == p) {
            this.pairs = null;
        }
    }

    private static TransportSettings parseOr(Map<String, Object> properties, TransportSettings lastGood) {
        return LastGoodConfig.parseOrKeep(PID, properties, TransportSettings::parse, lastGood);
    }

    /** A UDP listening point lost its receive thread: the stack is restarted on its own thread. */
    private void restartDeafStack(List<ListeningPointInfo> deaf) {
        EventLog.log(ProxyEvent.SPR_SIP_LISTENER_CANNOT_START,
                "SIP listening point(s) {} stopped receiving (the stack's receive thread ended); restarting the SIP stack", deaf);
        Thread t = new Thread(() -> {
            synchronized (this) {
                if (registration != null) {
                    stop();
                    start();
                }
            }
        }, "sip-proxy-transport-restart");
        t.setDaemon(true);
        t.start();
    }

    private synchronized void start() {
        String tlsProblem = null;
        if (wantsTls()) {
            tlsProblem = loadTlsMaterial();
            if (tlsProblem != null && tls.material() != null) {
                // the last good key material stays in force, as any last good configuration does
                EventLog.log(ProxyEvent.SPR_SIP_LISTENER_CANNOT_START,
                        "TLS listening point {}:{} keeps the last good certificate {}: the configured key material cannot be used: {}",
                        settings.bindAddress(), settings.tls().port(), tls.material().description(), tlsProblem);
                tlsProblem = null;
            }
        } else {
            LOG.info("No TLS listening point: sip-transports does not list tls{}",
                    settings.tls().material().keystore().isPresent() ? " (tls-keystore is set)" : "");
        }
        running = RunningStack.start(settings, dispatcher, tls, tlsProblem, this::isSipServer);
        if (running != null) {
            udpWatch = new UdpListenerWatch(running.listeningPoints(), this::restartDeafStack);
            pinger = new KeepAlivePinger(running, () -> this.pairs, stale, settings.keepAlive());
            idle = new IdleConnections(running, settings.connections().idleTimeoutSeconds());
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("sip.listening.points", running.listeningPoints().toString());
            registration = context.registerService(SipTransport.class, running, props);
        }
    }

    private synchronized void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
        if (udpWatch != null) {
            udpWatch.stop();
            udpWatch = null;
        }
        if (pinger != null) {
            pinger.stop();
            pinger = null;
            idle.stop();
            idle = null;
        }
        if (running != null) {
            running.stop();
            running = null;
        }
    }
}
