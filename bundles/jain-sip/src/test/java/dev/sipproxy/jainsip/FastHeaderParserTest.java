package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.parser.ParserFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/**
 * The fast path reads a header into exactly the objects the stack's parser builds (field by field,
 * and to the same encoding), or leaves it to the stack's parser: on call headers as user agents and
 * proxies send them, on every such header of the RFC 4475 messages, and on many thousands of mutants
 * of them.
 */
public class FastHeaderParserTest {
    /** What sipp, phones and SIP Servers send, and what this proxy adds: the fast path must read these. */
    private static final List<String> CALL_HEADERS = List.of(
            "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4242-1-0",
            "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport=5060;received=192.0.2.1",
            "v: SIP/2.0/UDP host.Example.com;branch=z9hG4bKnashds8;rport",
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK.a1b2, SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKx",
            "Via: SIP/2.0/UDP 127.0.0.1;received=::1;branch=z9hG4bK2",
            "Via: SIP/2.0/TLS proxy_1.example.com:5061;branch=z9hG4bK3;maddr=224.2.0.1;ttl=16;alias",
            "From: sipp <sip:sipp@127.0.0.1:5061>;tag=4242SIPpTag001",
            "From: \"Al Ice\" <sip:alice@127.0.0.1:5070>;tag=1",
            "From: Bob Two <sip:bob@biloxi.com>;tag=a;x=\"quoted; val\"",
            "f: \"\" <sip:anonymous@anonymous.invalid>;tag=9",
            "From: <sips:+1-650-555-2222@ss1.wcom.com;user=phone>;tag=5617",
            "To: <sip:service@127.0.0.1:5070>",
            "To: sut <sip:service@127.0.0.1:5060>;tag=abc",
            "t: sip:bob@example.com;tag=x",
            "To: <sip:%61lice@atlanta.com;transport=tcp;lr>",
            "Call-ID: 1-4242@127.0.0.1",
            "i: f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com",
            "CSeq: 1 INVITE",
            "CSeq: 2 ACK",
            "CSeq: 314159 BYE",
            "CSeq: 7 PUBLISH",
            "CSeq: 8 CANCEL",
            "CSeq: 9 OPTIONS",
            "CSeq: 10 REGISTER",
            "CSeq: 11 SUBSCRIBE",
            "CSeq: 12 NOTIFY",
            "CSeq: 13 MESSAGE",
            "CSeq: 14 REFER",
            "CSeq: 15 INFO",
            "CSeq: 16 UPDATE",
            "CSeq: 17 PRACK",
            "Max-Forwards: 70",
            "Content-Length: 129",
            "l: 0",
            "Contact: sip:sipp@127.0.0.1:5061",
            "Contact: <sip:sipp@127.0.0.1:5061;transport=UDP>",
            "Contact: <sip:a@b.c>;q=0.7;expires=3600, <sip:d@e.f>;q=0.1",
            "m: <sip:x@y>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"",
            "Route: <sip:127.0.0.1:5060;lr>",
            "Record-Route: <sip:127.0.0.1:5060;transport=tcp;lr>, <sip:10.0.0.1;lr>",
            "Record-Route: <sip:proxy.example.com;lr;ftag=abc>",
            "Route: <sips:[::1]:5061;lr>");

    /** Shapes the fast path leaves to the stack's parser (which may read or refuse them). */
    private static final List<String> LEFT_TO_THE_STACK = List.of(
            "Via: SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1",
            "Via: SIP / 2.0 / UDP 127.0.0.1;branch=z9hG4bK1",
            "Via: SIP/2.0/UDP 127.0.0.1;branch",
            "From: <sip:user:pw@host>;tag=1",
            "From: <tel:+12345>;tag=1",
            "To: <sip:bob@example.com?subject=x>",
            "From: \"a \\\"b\\\"\" <sip:a@b>;tag=1",
            "To: <sip:b@example.com> ;tag=1",
            "Contact: *",
            "Subject: hello",
            "From: \"Caf\u00e9\" <sip:a@b>;tag=1",
            "CSeq: 1INVITE",
            "Max-Forwards: 256");

    private static SIPHeader stack(String line) {
        try {
            return ParserFactory.createParser(line + "\n").parse();
        } catch (Exception e) {
            return null;
        }
    }

    /** Fails unless the fast path's result, when it has one, is the stack's. Answers whether it had one. */
    private static boolean readsAsTheStack(String line) {
        SIPHeader fast = FastHeaderParser.parse(line);
        if (fast == null) {
            return false;
        }
        SIPHeader stack = stack(line);
        if (stack == null) {
            fail("the fast path read what the stack refuses: " + line);
        }
        assertEquals(line, stack.encode(), fast.encode());
        String difference = ObjectGraphs.difference(stack, fast);
        if (difference != null) {
            fail(line + " -> " + difference);
        }
        return true;
    }

    @Test
    public void callHeadersAreReadAsTheStackReadsThem() {
        for (String line : CALL_HEADERS) {
            boolean fast = readsAsTheStack(line);
            if (line.contains("[::1]")) {
                assertTrue("an IPv6 reference is the stack's: " + line, !fast);
            } else {
                assertTrue("the fast path reads " + line, fast);
            }
        }
    }

    @Test
    public void otherShapesAreLeftToTheStack() {
        for (String line : LEFT_TO_THE_STACK) {
            assertNull(line, FastHeaderParser.parse(line));
        }
    }

    @Test
    public void theRfc4475HeadersAreReadAsTheStackReadsThem() throws IOException {
        int read = 0;
        int lines = 0;
        for (Path file : Rfc4475Messages.files()) {
            for (String line : headerLines(Files.readAllBytes(file))) {
                lines++;
                if (readsAsTheStack(line)) {
                    read++;
                }
            }
        }
        assertTrue("header lines: " + lines, lines > 300);
        assertTrue("read by the fast path: " + read + " of " + lines, read > 100);
    }

    /**
     * Mutants of the call headers (a character put in, taken out or doubled, a case changed) are read
     * as the stack reads them or left to it; a fixed seed keeps a failure reproducible.
     */
    @Test
    public void mutantsAreReadAsTheStackReadsThemOrLeftToIt() {
        List<String> bases = new ArrayList<>(CALL_HEADERS);
        bases.addAll(LEFT_TO_THE_STACK);
        int read = 0;
        int mutants = 0;
        for (String mutant : Mutants.of(bases, 4475L)) {
            mutants++;
            if (readsAsTheStack(mutant)) {
                read++;
            }
        }
        assertTrue("mutants read by the fast path: " + read + " of " + mutants, read > mutants / 10);
    }

    @Test
    public void aRefusedValueIsLeftToTheStack() {
        assertNull("Max-Forwards above 255", FastHeaderParser.parse("Max-Forwards: 300"));
        assertNull("CSeq above 2^31-1", FastHeaderParser.parse("CSeq: 4294967296 INVITE"));
        assertNotNull(FastHeaderParser.parse("CSeq: 2147483647 INVITE"));
    }

    /** The header lines of a message, continuation lines joined as the stack joins them. */
    private static List<String> headerLines(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r?\n", -1);
        List<String> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (!headers.isEmpty() && !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                int last = headers.size() - 1;
                headers.set(last, headers.get(last) + line.substring(1));
            } else if (!line.isEmpty()) {
                headers.add(line.stripTrailing());
            }
        }
        return headers;
    }
}
