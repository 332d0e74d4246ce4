package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/** The byte scan finds what its regular-expression reference finds, on the RFC 4475 messages and variations of them. */
public class HeaderScanTest {

    private static final String INVITE = "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: sipp <sip:sipp@127.0.0.1:5070>;tag=1\r\n"
            + "To: <sip:bob@127.0.0.1>\r\n"
            + "Call-ID: 1@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: sip:sipp@127.0.0.1:5070\r\n"
            + "Content-Length: 0\r\n\r\n";

    @Test
    public void agreesWithTheReferenceOnTheTortureMessages() throws IOException {
        int problems = 0;
        for (Path f : Rfc4475Messages.files()) {
            byte[] msg = Files.readAllBytes(f);
            String expected = RegexHeaderScan.problem(msg);
            assertEquals(f.getFileName().toString(), expected, HeaderScan.problem(msg));
            problems += expected == null ? 0 : 1;
        }
        assertTrue("some torture messages have problems", problems > 3);
    }

    @Test
    public void agreesWithTheReferenceOnVariations() {
        assertNull(HeaderScan.problem(bytes(INVITE)));
        List<String> variants = new ArrayList<>();
        variants.add(INVITE.replace("INVITE sip:bob@127.0.0.1 SIP/2.0", "INVITE  sip:bob@127.0.0.1 SIP/2.0"));
        variants.add(INVITE.replace("SIP/2.0\r\nVia", "SIP/7.0\r\nVia"));
        variants.add(INVITE.replace("SIP/2.0\r\nVia", "SIP/2.0 \r\nVia"));
        variants.add(INVITE.replace("INVITE sip:", "INV\u00e9TE sip:"));
        variants.add(INVITE.replace("Call-ID: 1@127.0.0.1\r\n", "Call-ID: 1@127.0.0.1\r\ni: 2@127.0.0.1\r\n"));
        variants.add(INVITE.replace("To: <sip:bob@127.0.0.1>\r\n", "To: <sip:bob@127.0.0.1>\r\nt: <sip:x@127.0.0.1>\r\n"));
        variants.add(INVITE.replace("CSeq: 1 INVITE\r\n", "CSeq: 1 INVITE\r\ncseq : 2 INVITE\r\n"));
        variants.add(INVITE.replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nMAX-FORWARDS: 69\r\n"));
        variants.add(INVITE.replace("Content-Length: 0\r\n", "Content-Length: 0\r\nl: 0\r\n"));
        variants.add(INVITE.replace("Content-Length: 0\r\n", "Content-Type: a/b\r\nc: a/b\r\nContent-Length: 0\r\n"));
        variants.add(INVITE.replace("From: sipp <", "From: si;pp <"));
        variants.add(INVITE.replace("From: sipp <", "From: \"si;pp\" <"));
        variants.add(INVITE.replace("From: sipp <", "f: Bob  \t Smith <"));
        variants.add(INVITE.replace("To: <sip:bob@127.0.0.1>", "To: < sip:bob@127.0.0.1>"));
        variants.add(INVITE.replace("To: <sip:bob@127.0.0.1>", "To: <sip:bob@127.0.0.1 >"));
        variants.add(INVITE.replace("Contact: sip:sipp@127.0.0.1:5070", "m: sip:sipp@127.0.0.1:5070?x=y"));
        variants.add(INVITE.replace("Contact: sip:sipp@127.0.0.1:5070", "Contact: <sip:sipp@127.0.0.1:5070?x=y>"));
        // read in place since 2026-12-07: trimming, case, non-ASCII and control bytes at the edges
        variants.add(INVITE.replace("SIP/2.0\r\nVia", "sip/2.0\r\nVia"));
        variants.add(INVITE.replace("INVITE sip:bob@127.0.0.1 SIP/2.0", "INVITE sip:bob@127.0.0.1\u00ff SIP/2.0"));
        variants.add(INVITE.replace("From: sipp <", "From: \t sipp \t <"));
        variants.add(INVITE.replace("From: sipp <", "From: <"));
        variants.add(INVITE.replace("From: sipp <", "From: \"a <b>\" <"));
        variants.add(INVITE.replace("From: sipp <", "From: s\u00e9pp <"));
        variants.add(INVITE.replace("To: <sip:bob@127.0.0.1>", "To: <\u001csip:bob@127.0.0.1>"));
        variants.add(INVITE.replace("To: <sip:bob@127.0.0.1>", "To: <sip:bob@127.0.0.1\u000b>"));
        variants.add(INVITE.replace("To: <sip:bob@127.0.0.1>", "To: <\u00a0sip:bob@127.0.0.1>"));
        variants.add(INVITE.replace("To: <sip:bob@127.0.0.1>", "To: <sip:bob@127.0.0.1"));
        // folded lines, LF-only line ends, a missing empty line, an empty message
        variants.add(INVITE.replace("From: sipp <", "From:\r\n  sipp <"));
        variants.add(INVITE.replace("From: sipp <", "From:\r\n  si;pp <"));
        variants.add(INVITE.replace("Call-ID: 1@127.0.0.1\r\n", "Call-ID: 1@127.0.0.1\r\nCall-ID\r\n :2@127.0.0.1\r\n"));
        variants.add(INVITE.replace("SIP/2.0\r\nVia", "SIP/2.0\r\n Via"));
        variants.add(INVITE.replace("\r\n", "\n"));
        variants.add(INVITE.replace("\r\n\r\n", "\r\n"));
        variants.add(INVITE.replace("\r\n", "\r\r\n"));
        variants.add("");
        variants.add("\r\n\r\n");
        variants.add(" INVITE sip:bob@127.0.0.1 SIP/2.0\r\n\r\n");
        int problems = 0;
        for (String v : variants) {
            String expected = RegexHeaderScan.problem(bytes(v));
            assertEquals(v, expected, HeaderScan.problem(bytes(v)));
            problems += expected == null ? 0 : 1;
        }
        assertTrue(problems > 15);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
