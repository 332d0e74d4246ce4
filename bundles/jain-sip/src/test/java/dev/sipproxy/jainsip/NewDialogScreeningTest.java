package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.jainsip.net.DatagramSender;
import dev.sipproxy.jainsip.net.NewDialogScreen;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

/** The receiving thread's decisions: once per branch, the same again for a retransmission. */
public class NewDialogScreeningTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final NewDialogScreening screening = new NewDialogScreening(now::get);
    private final Screen screen = new Screen();
    private final List<String> sent = new ArrayList<>();
    private final List<Integer> sentTo = new ArrayList<>();
    private final DatagramSender out = (message, to, port) -> {
        sent.add(new String(message, StandardCharsets.US_ASCII));
        sentTo.add(port);
    };

    @Test
    public void withoutAScreenNothingIsScreened() {
        assertEquals(NewDialogScreening.Verdict.PASS, screen(invite("z9hG4bK-1")));
    }

    @Test
    public void anAdmittedInviteIsAdmittedOnceAndItsRetransmissionGoesOnAsAdmitted() {
        screening.setScreen(screen);
        assertEquals(NewDialogScreening.Verdict.ADMITTED, screen(invite("z9hG4bK-1")));
        assertEquals(NewDialogScreening.Verdict.ADMITTED, screen(invite("z9hG4bK-1")));
        assertEquals("asked once", 1, screen.asked);
        assertTrue(sent.isEmpty());
    }

    @Test
    public void aRefusedInviteGets503AndItsRetransmissionAnotherWithoutAskingAgain() {
        screening.setScreen(screen);
        screen.admit = false;
        assertEquals(NewDialogScreening.Verdict.DONE, screen(invite("z9hG4bK-2")));
        screen.admit = true;
        assertEquals(NewDialogScreening.Verdict.DONE, screen(invite("z9hG4bK-2")));
        assertEquals("asked once", 1, screen.asked);
        assertEquals("every 503 counted", 2, screen.refused);
        assertEquals(2, sent.size());
        assertTrue(sent.get(0), sent.get(0).startsWith("SIP/2.0 503 Service Unavailable\r\n"));
        assertTrue(sent.get(0), sent.get(0).contains(";tag=spx-r1\r\n"));
        assertTrue(sent.get(0), sent.get(0).contains("\r\nRetry-After: 7\r\n"));
        assertEquals("to the sent-by port (no rport)", 5071, (int) sentTo.get(0));
        assertEquals("another branch is asked", NewDialogScreening.Verdict.ADMITTED, screen(invite("z9hG4bK-3")));
    }

    @Test
    public void theAckOfARefusalIsDroppedAndOtherAcksGoOn() {
        screening.setScreen(screen);
        assertEquals(NewDialogScreening.Verdict.DONE, screen(ack("spx-r5")));
        assertEquals(NewDialogScreening.Verdict.PASS, screen(ack("other")));
    }

    @Test
    public void inDialogAndUncertainInvitesAreLeftToTheProxy() {
        screening.setScreen(screen);
        screen.admit = false;
        assertEquals("a re-INVITE", NewDialogScreening.Verdict.PASS,
                screen(invite("z9hG4bK-4").replace("To: <sip:bob@127.0.0.1>", "To: <sip:bob@127.0.0.1>;tag=b1")));
        assertEquals("an RFC 2543 branch", NewDialogScreening.Verdict.PASS, screen(invite("rfc2543-1")));
        assertEquals("a folded line", NewDialogScreening.Verdict.PASS, screen(invite("z9hG4bK-5").replace("CSeq: 1 INVITE", "CSeq: 1\r\n INVITE")));
        assertEquals(0, screen.asked);
    }

    private NewDialogScreening.Verdict screen(String message) {
        byte[] b = message.getBytes(StandardCharsets.US_ASCII);
        return screening.screen(b, b.length, InetAddress.getLoopbackAddress(), 40000, out);
    }

    private static String invite(String branch) {
        return "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5071;branch=" + branch + "\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: " + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static String ack(String toTag) {
        return invite("z9hG4bK-9").replace("INVITE sip:", "ACK sip:").replace("1 INVITE", "1 ACK")
                .replace("To: <sip:bob@127.0.0.1>", "To: <sip:bob@127.0.0.1>;tag=" + toTag);
    }

    private static final class Screen implements NewDialogScreen {
        boolean admit = true;
        int asked;
        int refused;
        int tags;

        @Override
        public boolean admitNewDialog() {
            asked++;
            return admit;
        }

        @Override
        public int retryAfterSeconds() {
            return 7;
        }

        @Override
        public String newRefusalTag() {
            return "spx-r" + ++tags;
        }

        @Override
        public boolean isRefusalTag(String tag) {
            return tag.startsWith("spx-r");
        }

        @Override
        public void refused() {
            refused++;
        }
    }
}
