package dev.sipproxy.routing.internal;

import java.util.ListIterator;

import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ProxyRequireHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * Loop detection of RFC 3261 section 16.3 step 4 (with 16.6 step 8 and RFC 5393): the branch of
 * every Via this proxy adds ends with a hash of what makes the request the request (Request-URI,
 * From and To tags, Call-ID, CSeq number, the Route set left after this proxy's own entries,
 * Proxy-Require, Proxy-Authorization). A request that comes back with one of this proxy's Vias
 * carrying the same hash has looped; one whose hash differs is a spiral and goes on.
 */
final class LoopDetector {
    private static final String OWN_BRANCH = Identifiers.MAGIC_COOKIE + "-sp";

    private LoopDetector() {
    }

    /** The loop-detection hash of a request whose own Route entries are already removed. */
    static String hash(Request r) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, r.getRequestURI().toString());
        h = mix(h, ((FromHeader) r.getHeader(FromHeader.NAME)).getTag());
        h = mix(h, ((ToHeader) r.getHeader(ToHeader.NAME)).getTag());
        h = mix(h, ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId());
        h = mix(h, Long.toString(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber()));
        for (String name : new String[] {RouteHeader.NAME, ProxyRequireHeader.NAME, ProxyAuthorizationHeader.NAME}) {
            ListIterator<?> it = r.getHeaders(name);
            while (it.hasNext()) {
                h = mix(h, ((Header) it.next()).toString());
            }
        }
        return Long.toHexString(h);
    }

    /** True when one of this proxy's own Vias in {@code received} carries {@code hash}: a loop. */
    static boolean looped(Request received, String hash, java.util.function.BiPredicate<String, Integer> isThisProxy) {
        ListIterator<?> vias = received.getHeaders(ViaHeader.NAME);
        while (vias.hasNext()) {
            ViaHeader via = (ViaHeader) vias.next();
            String branch = via.getBranch();
            if (branch != null && branch.startsWith(OWN_BRANCH) && branch.endsWith("." + hash)
                    && isThisProxy.test(via.getHost(), via.getPort())) {
                return true;
            }
        }
        return false;
    }

    private static long mix(long h, String s) {
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
        }
        h ^= 0xff; // separator, so that ("ab","c") and ("a","bc") differ
        return h * 0x100000001b3L;
    }

    /** Whether a Route URI asks for loose routing. */
    static boolean isLooseRouter(SipURI uri) {
        return uri.hasLrParam();
    }
}
