package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.SipTransportType;

import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;

import org.junit.Test;

public class RecordRouteTemplatesTest {
    private final RecordRouteTemplates templates = new RecordRouteTemplates();
    private final AddressFactory af;
    private final HeaderFactory hf;

    public RecordRouteTemplatesTest() throws Exception {
        SipFactory f = SipFactory.getInstance();
        f.setPathName("gov.nist");
        af = f.createAddressFactory();
        hf = f.createHeaderFactory();
    }

    @Test
    public void entriesAreWhatTheFactoryWouldBuild() throws Exception {
        assertEquals("Record-Route: <sip:192.0.2.10:5060;lr>",
                templates.create("192.0.2.10", 5060, SipTransportType.UDP, af, hf).toString().trim());
        assertEquals("Record-Route: <sip:192.0.2.10:5062;transport=tcp;lr>",
                templates.create("192.0.2.10", 5062, SipTransportType.TCP, af, hf).toString().trim());
        assertEquals("Record-Route: <sip:[2001:db8::1]:5061;transport=tls;lr>",
                templates.create("2001:db8::1", 5061, SipTransportType.TLS, af, hf).toString().trim());
    }

    @Test
    public void everyEntryIsAFreshCopy() throws Exception {
        RecordRouteHeader a = templates.create("192.0.2.10", 5060, SipTransportType.UDP, af, hf);
        RecordRouteHeader b = templates.create("192.0.2.10", 5060, SipTransportType.UDP, af, hf);
        assertNotSame(a, b);
        assertNotSame(a.getAddress().getURI(), b.getAddress().getURI());
        ((javax.sip.address.SipURI) a.getAddress().getURI()).setParameter("sp-pair", "A");
        assertEquals("Record-Route: <sip:192.0.2.10:5060;lr>", b.toString().trim());
        assertEquals("Record-Route: <sip:192.0.2.10:5060;lr>",
                templates.create("192.0.2.10", 5060, SipTransportType.UDP, af, hf).toString().trim());
    }

    @Test
    public void staysBoundedWhenAddressesKeepChanging() throws Exception {
        for (int port = 1; port <= 3 * RecordRouteTemplates.MAX_ENTRIES; port++) {
            templates.create("192.0.2.10", port, SipTransportType.UDP, af, hf);
        }
        assertTrue(templates.size() <= RecordRouteTemplates.MAX_ENTRIES);
    }
}
