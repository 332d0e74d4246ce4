package dev.sipproxy.jainsip;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

public class StreamFramerTest {
    private static final String INVITE = "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
            + "Call-ID: 1@127.0.0.1\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 10\r\n"
            + "\r\n"
            + "v=0\r\no=a\r\n";
    private static final String BYE = "BYE sip:bob@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-2\r\n"
            + "l:0\r\n"
            + "\r\n";
    private static final String NO_LENGTH = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-2\r\n"
            + "\r\n";

    /** What a framer handed its sink: messages as text, pings as "PING", pongs as "PONG". */
    private static final class Recorder implements StreamFramer.Sink {
        final List<String> seen = new ArrayList<>();

        @Override
        public void message(byte[] message) {
            seen.add(new String(message, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void ping() {
            seen.add("PING");
        }

        @Override
        public void pong() {
            seen.add("PONG");
        }
    }

    private static List<String> frame(StreamFramer framer, byte[] stream, int chunk) throws Exception {
        Recorder r = new Recorder();
        for (int off = 0; off < stream.length; off += chunk) {
            framer.feed(stream, off, Math.min(chunk, stream.length - off), r);
        }
        return r.seen;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    public void cutsPipelinedMessagesByContentLengthWhateverTheChunks() throws Exception {
        byte[] stream = bytes(INVITE + BYE + NO_LENGTH + INVITE);
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            StreamFramer framer = new StreamFramer(65536);
            assertEquals("chunks of " + chunk, List.of(INVITE, BYE, NO_LENGTH, INVITE), frame(framer, stream, chunk));
            assertEquals(0, framer.pending());
            assertFalse(framer.inMessage());
        }
    }

    @Test
    public void aBodyThatLooksLikeHeadersIsStillBody() throws Exception {
        String tricky = "MESSAGE sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: 24\r\n\r\n"
                + "Content-Length: 99\r\n\r\nxx";
        assertEquals(List.of(tricky, BYE), frame(new StreamFramer(0), bytes(tricky + BYE), 3));
    }

    @Test
    public void crlfBetweenMessagesArePongsAndDoubleCrlfPings() throws Exception {
        byte[] stream = bytes("\r\n" + BYE + "\r\n\r\n" + "\r\n" + "\n" + INVITE);
        for (int chunk = 1; chunk <= 3; chunk++) {
            assertEquals(List.of("PONG", BYE, "PONG", "PING", "PONG", INVITE), frame(new StreamFramer(0), stream, chunk));
        }
    }

    @Test
    public void bareLineFeedsEndTheHeadersToo() throws Exception {
        String lf = "OPTIONS sip:127.0.0.1 SIP/2.0\nVia: SIP/2.0/TCP 127.0.0.1\nContent-Length: 2\n\nok";
        assertEquals(List.of(lf, BYE), frame(new StreamFramer(0), bytes(lf + BYE), 1));
    }

    @Test
    public void saysWhenAMessageHasBegunAndNotEnded() throws Exception {
        StreamFramer framer = new StreamFramer(0);
        Recorder r = new Recorder();
        framer.feed(bytes("\r\n\r"), 0, 3, r);
        assertFalse("a CR between messages is not a message", framer.inMessage());
        framer.feed(bytes("\nIN"), 0, 3, r);
        assertTrue(framer.inMessage());
        byte[] rest = bytes(INVITE.substring(2));
        framer.feed(rest, 0, rest.length, r);
        assertFalse(framer.inMessage());
        assertEquals(List.of("PONG", "PING", INVITE), r.seen);
    }

    @Test
    public void refusesWhatCannotBeFramedWithTheHeadersForAnAnswer() throws Exception {
        String negative = "INVITE sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1\r\nContent-Length: -999\r\n\r\n";
        assertRefused(new StreamFramer(0), negative + "body", "Content-Length not a number", negative);
        String huge = "INVITE sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: 99999999999999999999\r\n\r\n";
        assertRefused(new StreamFramer(0), huge, "Content-Length too long", huge);
        String twice = "INVITE sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: 13\r\nl: 5\r\n\r\n";
        assertRefused(new StreamFramer(0), twice + "12345", "Content-Length values that differ", twice);
        String same = "INVITE sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: 5\r\nl: 5\r\n\r\n12345";
        assertEquals("the same value twice frames (the parser judges the duplicate)", List.of(same, BYE),
                frame(new StreamFramer(0), bytes(same + BYE), 4));
        String big = "INVITE sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: 1000\r\n\r\n";
        assertRefused(new StreamFramer(1000), big, "message larger than 1000 bytes", big);
        String endless = "INVITE sip:a@127.0.0.1 SIP/2.0\r\n" + "X: y\r\n".repeat(200);
        assertRefused(new StreamFramer(1000), endless, "headers longer than 1000 bytes", null);
    }

    private static void assertRefused(StreamFramer framer, String stream, String reason, String head) {
        try {
            frame(framer, bytes(stream), 7);
            fail("framed: " + stream);
        } catch (StreamFramer.FramingException e) {
            assertEquals(reason, e.getMessage());
            if (head != null) {
                assertArrayEquals(bytes(head), e.head());
            } else {
                assertTrue(e.head().length > 1000);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void randomSplitsOfManyMessagesGiveThemBackWhole() throws Exception {
        Random random = new Random(18_3);
        List<String> sent = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            String m = switch (random.nextInt(3)) {
                case 0 -> INVITE;
                case 1 -> BYE;
                default -> "MESSAGE sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: " + (i % 300) + "\r\n\r\n" + "b".repeat(i % 300);
            };
            sent.add(m);
            stream.writeBytes(bytes(m));
        }
        byte[] all = stream.toByteArray();
        StreamFramer framer = new StreamFramer(65536);
        Recorder r = new Recorder();
        for (int off = 0; off < all.length; ) {
            int n = Math.min(1 + random.nextInt(5000), all.length - off);
            framer.feed(all, off, n, r);
            off += n;
        }
        assertEquals(sent, r.seen);
    }
}
