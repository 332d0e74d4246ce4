package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import gov.nist.javax.sip.header.SIPObject;
import gov.nist.javax.sip.parser.RequestLineParser;
import gov.nist.javax.sip.parser.StatusLineParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/**
 * The fast first-line path builds what the stack's RequestLineParser and StatusLineParser build, field
 * by field (private fields included), on the lines user agents send, the RFC 4475 first lines and
 * thousands of mutants of them, or leaves the line to the stack.
 */
public class FastFirstLineParserTest {
    private static final List<String> CALL_LINES = List.of(
            "INVITE sip:service@127.0.0.1:5060 SIP/2.0",
            "ACK sip:service@127.0.0.1:5070;transport=UDP SIP/2.0",
            "BYE sip:127.0.0.1:5070 SIP/2.0",
            "OPTIONS sips:pbx.example.com;lr;maddr=10.0.0.1 SIP/2.0",
            "CANCEL sip:+4930123@gw.example.com:5080;user=phone SIP/2.0",
            "REGISTER sip:example.com SIP/2.0",
            "SIP/2.0 100 Trying",
            "SIP/2.0 180 Ringing",
            "SIP/2.0 200 OK",
            "SIP/2.0 503 Service Unavailable",
            "SIP/2.0 486 Busy  Here ",
            "SIP/2.0 200 Caf\u00e9");

    private static final List<String> LEFT_TO_THE_STACK = List.of(
            "INVITE  sip:a@b SIP/2.0",
            "INVITE sip:a@b  SIP/2.0",
            "invite sip:a@b SIP/2.0",
            "FOO sip:a@b SIP/2.0",
            "INVITE tel:+4930123 SIP/2.0",
            "INVITE sip:a@[::1] SIP/2.0",
            "INVITE sip:a:pw@b SIP/2.0",
            "INVITE sip:a@b?Subject=x SIP/2.0",
            "INVITE sip:a@b SIP/2.1",
            "SIP/2.0 200",
            "SIP/2.0 20 OK",
            "SIP/2.0  200 OK",
            "SIP/2.0 2000 OK");

    private static SIPObject stack(String line) {
        try {
            return line.startsWith("SIP/2.0") ? new StatusLineParser(line + "\n").parse()
                    : new RequestLineParser(line + "\n").parse();
        } catch (Exception e) {
            return null;
        }
    }

    private static SIPObject fast(String line) {
        try {
            return line.startsWith("SIP/2.0") ? FastFirstLineParser.statusLine(line) : FastFirstLineParser.requestLine(line);
        } catch (java.text.ParseException e) {
            fail("the fast path threw on " + line + ": " + e);
            return null;
        }
    }

    /** Fails unless the fast path's result, when it has one, is the stack's. Answers whether it had one. */
    private static boolean readsAsTheStack(String line) {
        SIPObject fast = fast(line);
        if (fast == null) {
            return false;
        }
        SIPObject stack = stack(line);
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
    public void callLinesAreReadAsTheStackReadsThem() {
        for (String line : CALL_LINES) {
            assertTrue("the fast path reads " + line, readsAsTheStack(line));
        }
    }

    @Test
    public void otherShapesAreLeftToTheStack() {
        for (String line : LEFT_TO_THE_STACK) {
            assertNull(line, fast(line));
        }
    }

    @Test
    public void theRfc4475FirstLinesAreReadAsTheStackReadsThem() throws IOException {
        int read = 0;
        int lines = 0;
        for (Path file : Rfc4475Messages.files()) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            String line = text.split("\r?\n", 2)[0];
            lines++;
            if (readsAsTheStack(line)) {
                read++;
            }
        }
        assertTrue("first lines: " + lines, lines > 30);
        assertTrue("read by the fast path: " + read + " of " + lines, read > 10);
    }

    /** Mutants (a character put in, taken out or doubled, a case changed) are read as the stack reads them or left to it. */
    @Test
    public void mutantsAreReadAsTheStackReadsThemOrLeftToIt() {
        List<String> bases = new ArrayList<>(CALL_LINES);
        bases.addAll(LEFT_TO_THE_STACK);
        int read = 0;
        int mutants = 0;
        for (String mutant : Mutants.of(bases, 3261L)) {
            mutants++;
            if (readsAsTheStack(mutant)) {
                read++;
            }
        }
        assertTrue("mutants read by the fast path: " + read + " of " + mutants, read > mutants / 10);
    }
}
