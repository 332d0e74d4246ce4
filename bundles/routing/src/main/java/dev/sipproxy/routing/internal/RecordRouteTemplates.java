package dev.sipproxy.routing.internal;

import dev.sipproxy.api.SipTransportType;

import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;

/**
 * This proxy's own Record-Route entries (host, port, transport, {@code ;lr}), built once per address
 * and copied for each request. The stack's factory builds a SIP URI by printing it and parsing the
 * text back, and its parser throws and catches an exception at the end of every URI: one
 * exception, with its stack trace, for every dialog-creating request. A copy of a built entry costs
 * neither. The entries name the proxy's own addresses, so the map stays small; it is emptied if it
 * ever grows past {@value #MAX_ENTRIES} (addresses changed by reconfiguration, say).
 */
final class RecordRouteTemplates {
    static final int MAX_ENTRIES = 64;

    private record Key(String host, int port, SipTransportType transport) {
    }

    private final Map<Key, RecordRouteHeader> templates = new ConcurrentHashMap<>();

    /** A new Record-Route entry for this address, the caller's to change (its URI is its own). */
    RecordRouteHeader create(String host, int port, SipTransportType transport, AddressFactory af, HeaderFactory hf)
            throws ParseException {
        Key key = new Key(host, port, transport);
        RecordRouteHeader template = templates.get(key);
        if (template == null) {
            template = build(key, af, hf);
            if (templates.size() >= MAX_ENTRIES) {
                templates.clear();
            }
            templates.put(key, template);
        }
        return (RecordRouteHeader) template.clone();
    }

    int size() {
        return templates.size();
    }

    private static RecordRouteHeader build(Key key, AddressFactory af, HeaderFactory hf) throws ParseException {
        SipURI uri = af.createSipURI(null, key.host());
        uri.setPort(key.port());
        if (key.transport() != SipTransportType.UDP) {
            uri.setTransportParam(key.transport().token());
        }
        uri.setLrParam();
        return hf.createRecordRouteHeader(af.createAddress(uri));
    }
}
