package dev.sipproxy.routing.internal;

import dev.sipproxy.api.AdmissionControl;
import dev.sipproxy.api.transport.NewDialogScreen;

import java.util.function.Supplier;

import javax.sip.message.Request;

/**
 * New dialogs over UDP as the transport receives them ({@link dev.sipproxy.api.transport.SipTransport#screenNewDialogs}):
 * admitted by the proxy's admission control, refused with this proxy's refusal tags (whose ACKs
 * {@link ProxyCore} absorbs too), and counted as the proxy counts a refusal of its own.
 */
final class ReceiptScreen implements NewDialogScreen {
    private final Supplier<AdmissionControl> admission;
    private final Identifiers ids;
    private final ProxyCounters counters;

    ReceiptScreen(Supplier<AdmissionControl> admission, Identifiers ids, ProxyCounters counters) {
        this.admission = admission;
        this.ids = ids;
        this.counters = counters;
    }

    @Override
    public boolean admitNewDialog() {
        AdmissionControl a = admission.get();
        return a == null || a.admitNewDialog();
    }

    @Override
    public int retryAfterSeconds() {
        AdmissionControl a = admission.get();
        return a == null ? 0 : a.retryAfterSeconds();
    }

    @Override
    public String newRefusalTag() {
        return ids.newRefusalTag();
    }

    @Override
    public boolean isRefusalTag(String tag) {
        return ids.isRefusalTag(tag);
    }

    @Override
    public void refused() {
        counters.requestReceived(Request.INVITE);
        counters.rejected(503);
        counters.responseSent(503);
    }
}
