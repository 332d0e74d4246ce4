package dev.sipproxy.transport.internal;

import dev.sipproxy.api.PairState;
import dev.sipproxy.api.SipServerPairs;
import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.jainsip.net.StackConnections.ObservedSocket;

import gov.nist.javax.sip.ListeningPointExt;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sip.ListeningPoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 5626 keep-alive of the connections to SIP Servers: every {@code keepalive-interval} seconds a
 * double-CRLF ping to each member of each TCP or TLS pair, over the connection the proxy uses for it
 * (opened if there is none). A connection on which nothing (no CRLF pong, no message) arrived within
 * {@code keepalive-timeout} of the ping is stale: it is closed, so that the next request opens a
 * new one instead of going into a dead connection, and {@link StaleConnections} marks the member down.
 */
final class KeepAlivePinger {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAlivePinger.class);

    private final RunningStack stack;
    private final Supplier<SipServerPairs> pairs;
    private final StaleConnections stale;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sip-keepalive");
        t.setDaemon(true);
        return t;
    });
    private volatile KeepAliveSettings settings;
    private long nextPing;

    KeepAlivePinger(RunningStack stack, Supplier<SipServerPairs> pairs, StaleConnections stale, KeepAliveSettings settings) {
        this.stack = stack;
        this.pairs = pairs;
        this.stale = stale;
        this.settings = settings;
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** New interval and timeout, from the next ping on. */
    void update(KeepAliveSettings next) {
        this.settings = next;
    }

    void stop() {
        timer.shutdownNow();
    }

    /** Runs every second; pings when the interval has passed (so that a new interval applies at once). */
    private void tick() {
        KeepAliveSettings s = settings;
        long now = System.nanoTime();
        if (!s.enabled() || now - nextPing < 0) {
            return;
        }
        nextPing = now + TimeUnit.SECONDS.toNanos(s.intervalSeconds());
        SipServerPairs p = pairs.get();
        if (p == null) {
            return;
        }
        try {
            for (PairState pair : p.pairs()) {
                SipTransportType t = pair.pair().transport();
                if (t.isReliable()) {
                    pair.members().forEach(m -> ping(t, m.ip(), m.address().port(), s));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Keep-alive round failed: {}", e.toString());
        }
    }

    private void ping(SipTransportType t, String ip, int port, KeepAliveSettings s) {
        ListeningPointExt lp = listeningPoint(t);
        if (ip == null || lp == null) {
            return;
        }
        long sentAt = System.nanoTime();
        try {
            lp.sendHeartbeat(ip, port);
        } catch (Exception e) {
            // not connected: reaching the member is the probes' and the requests' business
            LOG.debug("Keep-alive ping to {}:{} over {} not sent: {}", ip, port, t, e.toString());
            return;
        }
        timer.schedule(() -> check(t, ip, port, sentAt, s), s.timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private void check(SipTransportType t, String ip, int port, long sentAt, KeepAliveSettings s) {
        ObservedSocket connection = stack.connections().outgoing(ip, port);
        if (connection == null || connection.isClosed() || connection.lastReceivedNanos() - sentAt >= 0) {
            return;
        }
        try {
            connection.close();
        } catch (IOException e) {
            // closed anyway
        }
        stale.found(t, ip, port, s.timeoutMillis());
    }

    private ListeningPointExt listeningPoint(SipTransportType t) {
        for (ListeningPoint lp : stack.provider().getListeningPoints()) {
            if (lp.getTransport().equalsIgnoreCase(t.token()) && lp instanceof ListeningPointExt ext) {
                return ext;
            }
        }
        return null;
    }
}
