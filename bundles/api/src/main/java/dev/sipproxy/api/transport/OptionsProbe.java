package dev.sipproxy.api.transport;

import dev.sipproxy.api.SipTransportType;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.HopImpl;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * One OPTIONS request ({@code sip:ip:port}) from the proxy's own address, as the health monitor sends
 * to SIP Server pair members and the pool to the other proxy instances. Reports exactly once: the
 * status code of the first final response, or -1 with a reason (no final response within the
 * timeout, transport error). A late answer after the timeout is ignored.
 */
public final class OptionsProbe implements ClientTransactionCallback {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** Called with (statusCode, reason): statusCode -1 means no answer. */
    private final BiConsumer<Integer, String> result;
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile ScheduledFuture<?> timeout;

    private OptionsProbe(BiConsumer<Integer, String> result) {
        this.result = result;
    }

    /** @param result called once with (statusCode, reason); statusCode -1 means no answer */
    public static void send(SipTransport transport, String ip, int port, SipTransportType t, int timeoutMillis,
                     ScheduledExecutorService timer, BiConsumer<Integer, String> result) {
        OptionsProbe probe = new OptionsProbe(result);
        try {
            Request options = build(transport, ip, port, t);
            ClientTransaction client = transport.provider().getNewClientTransaction(options);
            client.setApplicationData(probe);
            probe.timeout = timer.schedule(() -> probe.report(-1, "no answer to OPTIONS within " + timeoutMillis + " ms"),
                    timeoutMillis, TimeUnit.MILLISECONDS);
            client.sendRequest();
        } catch (Exception e) {
            probe.report(-1, "OPTIONS could not be sent: " + e.getMessage());
        }
    }

    private static Request build(SipTransport transport, String ip, int port, SipTransportType t) throws Exception {
        AddressFactory af = transport.addressFactory();
        HeaderFactory hf = transport.headerFactory();
        String self = transport.advertisedHost(ip);
        int selfPort = transport.port(t);
        if (selfPort < 0) {
            throw new IllegalStateException("no " + t + " listening point");
        }
        SipURI target = af.createSipURI(null, ip);
        target.setPort(port);
        if (t != SipTransportType.UDP) {
            target.setTransportParam(t.token());
        }
        SipURI from = af.createSipURI("sip-proxy", self);
        from.setPort(selfPort);
        long n = SEQUENCE.incrementAndGet();
        ViaHeader via = hf.createViaHeader(self, selfPort, t.token(), "z9hG4bK-spprobe" + Long.toString(System.nanoTime(), 36) + n);
        Request options = transport.messageFactory().createRequest(target, Request.OPTIONS,
                hf.createCallIdHeader("probe-" + Long.toString(System.currentTimeMillis(), 36) + "-" + n + "@" + self),
                hf.createCSeqHeader(1L, Request.OPTIONS),
                hf.createFromHeader(af.createAddress(from), "p" + n),
                hf.createToHeader(af.createAddress(target), null),
                java.util.List.of(via),
                hf.createMaxForwardsHeader(70));
        ((SIPMessage) options).setApplicationData(new HopImpl(ip, port, t.token()));
        return options;
    }

    @Override
    public void responseReceived(ResponseEvent event) {
        int code = event.getResponse().getStatusCode();
        if (code >= 200) {
            report(code, event.getResponse().getReasonPhrase());
        }
    }

    @Override
    public void timedOut(TimeoutEvent event) {
        report(-1, "OPTIONS transaction timed out");
    }

    private void report(int code, String reason) {
        if (reported.compareAndSet(false, true)) {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            result.accept(code, reason);
        }
    }
}
