package dev.sipproxy.jainsip;

import dev.sipproxy.jainsip.net.DatagramSender;
import dev.sipproxy.jainsip.net.NewDialogScreen;

import java.io.IOException;
import java.net.InetAddress;
import java.util.function.LongSupplier;

/**
 * A UDP listening point's decisions on new dialogs as it receives them (see
 * {@link dev.sipproxy.jainsip.net.NewDialogScreens}): every INVITE without To tag is admitted or
 * refused once, by its branch; a retransmission gets the same decision without asking again (an
 * admitted one goes on to its transaction, a refused one gets another 503); the ACK of a 503 sent
 * here or by the proxy without a transaction is dropped. What it cannot read with certainty goes on
 * unscreened, to be decided after parsing. For the receiving thread only.
 */
final class NewDialogScreening {
    /** What became of a datagram. */
    enum Verdict {
        /** Not screened: the proxy decides after parsing, as without a screen. */
        PASS,
        /** A new dialog admitted here, or a retransmission of one: it is not to be admitted again. */
        ADMITTED,
        /** Answered or absorbed here: not to be queued. */
        DONE
    }

    /** As long as a sender may retransmit an INVITE (Timer B, 64*T1 = 32 s). */
    private static final long GENERATION_MILLIS = 32_000;
    /**
     * A generation holds 32 Ki branches (0.5 MiB): at 3500 new dialogs a second it turns every 9 s,
     * so a branch is known for 9 s at least. That is ample: an admitted INVITE is retransmitted only
     * until its 100 Trying arrives, a refused one until its 503 does.
     */
    private static final int SLOTS = 1 << 16;

    private final RecentKeys admitted;
    private final RecentKeys refused;
    private volatile NewDialogScreen screen;

    NewDialogScreening(LongSupplier clockMillis) {
        admitted = new RecentKeys(SLOTS, GENERATION_MILLIS, clockMillis);
        refused = new RecentKeys(SLOTS, GENERATION_MILLIS, clockMillis);
    }

    void setScreen(NewDialogScreen s) {
        screen = s;
    }

    Verdict screen(byte[] msg, int length, InetAddress source, int sourcePort, DatagramSender out) {
        NewDialogScreen s = screen;
        if (s == null) {
            return Verdict.PASS;
        }
        RawDialogRequest r = RawDialogRequest.read(msg, length);
        if (r == null) {
            return Verdict.PASS;
        }
        if (!r.invite()) {
            return r.toTag() != null && s.isRefusalTag(r.toTag()) ? Verdict.DONE : Verdict.PASS;
        }
        long key = r.branchKey();
        if (r.toTag() != null || key == 0) {
            return Verdict.PASS;
        }
        if (admitted.contains(key)) {
            return Verdict.ADMITTED;
        }
        if (!refused.contains(key)) {
            if (s.admitNewDialog()) {
                admitted.add(key);
                return Verdict.ADMITTED;
            }
            refused.add(key);
        }
        byte[] answer = r.refusal(s.newRefusalTag(), s.retryAfterSeconds(), source, sourcePort);
        try {
            out.sendDatagram(answer, source, r.responsePort(sourcePort));
        } catch (IOException e) {
            // as a lost datagram: the sender retransmits, and gets the 503 again
        }
        s.refused();
        return Verdict.DONE;
    }
}
