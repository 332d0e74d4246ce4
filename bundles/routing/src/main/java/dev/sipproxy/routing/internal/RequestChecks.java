package dev.sipproxy.routing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;

import javax.sip.address.URI;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ProxyRequireHeader;
import javax.sip.message.Request;

/** The request validation of RFC 3261 section 16.3 that the SIP parser has not already done. */
final class RequestChecks {
    private RequestChecks() {
    }

    /** Step 2: the proxy must understand the Request-URI scheme. */
    static void checkScheme(Request request) throws Rejection {
        URI uri = request.getRequestURI();
        String scheme = uri.getScheme();
        if (!(uri.isSipURI() || "tel".equalsIgnoreCase(scheme))) {
            throw new Rejection(416, "Request-URI scheme '" + scheme + "' is not supported");
        }
    }

    /** Step 3: Max-Forwards of zero ends here. */
    static void checkMaxForwards(Request request) throws Rejection {
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (mf != null && mf.getMaxForwards() <= 0) {
            throw new Rejection(483, "Max-Forwards reached 0");
        }
    }

    /**
     * RFC 5393: Max-Breadth, when present, is a number. The proxy never forks in parallel, so it
     * never needs more breadth than it gets and forwards the header unchanged (no 440 applies).
     */
    static void checkMaxBreadth(Request request) throws Rejection {
        javax.sip.header.Header mb = request.getHeader("Max-Breadth");
        if (mb != null) {
            String text = mb.toString();
            String value = text.substring(text.indexOf(':') + 1).trim();
            if (!value.matches("\\d{1,9}")) {
                throw new Rejection(400, "Max-Breadth '" + value + "' is not a number");
            }
        }
    }

    /** Step 6: every Proxy-Require option tag must be one the proxy supports. */
    static void checkProxyRequire(Request request, Set<String> supported) throws Rejection {
        ListIterator<?> it = request.getHeaders(ProxyRequireHeader.NAME);
        List<String> unsupported = null;
        while (it.hasNext()) {
            String tag = ((ProxyRequireHeader) it.next()).getOptionTag();
            if (tag != null && !supported.contains(tag)) {
                if (unsupported == null) {
                    unsupported = new ArrayList<>();
                }
                unsupported.add(tag);
            }
        }
        if (unsupported != null) {
            throw Rejection.badExtension(unsupported);
        }
    }
}
