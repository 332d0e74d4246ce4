package dev.sipproxy.jainsip.net;

import dev.sipproxy.jainsip.ReceiptAdmission;
import gov.nist.javax.sip.ListeningPointImpl;

import java.util.Iterator;

import javax.sip.SipStack;

/**
 * Puts a {@link NewDialogScreen} on a stack's UDP listening points, and tells the thread that
 * processes a request whether its listening point already admitted it.
 *
 * <p>Under overload a refusal has to cost much less than a call, or refusing does not relieve the
 * proxy. Refused after parsing, an INVITE and its ACK cost about 200 µs, half a proxied call, and
 * past capacity over UDP the refusals and their senders' retransmissions took all the proxy had. On
 * the receiving thread an INVITE is refused from its raw bytes (a few microseconds, no hand-off to a
 * worker) and the ACK of that 503 is dropped unparsed.
 */
public final class NewDialogScreens {

    private NewDialogScreens() {
    }

    /** Screens what the stack's UDP listening points receive from now on; null: no screen. */
    public static void install(SipStack stack, NewDialogScreen screen) {
        for (Iterator<?> it = stack.getListeningPoints(); it.hasNext(); ) {
            if (it.next() instanceof ListeningPointImpl lp && lp.getMessageProcessor() instanceof ScreenedReceiver r) {
                r.screenNewDialogs(screen);
            }
        }
    }

    /**
     * True while the request being processed on this thread is a new INVITE (or a retransmission of
     * one) that its listening point admitted on receipt: it is not to be admitted again.
     */
    public static boolean admittedOnReceipt() {
        return ReceiptAdmission.admitted();
    }

    /** A listening point that screens new dialogs as it receives them. */
    public interface ScreenedReceiver {
        void screenNewDialogs(NewDialogScreen screen);
    }
}
