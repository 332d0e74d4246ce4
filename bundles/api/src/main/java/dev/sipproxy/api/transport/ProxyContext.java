package dev.sipproxy.api.transport;

import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;

/**
 * What the proxy core sets as application data of the server and client transactions of a request
 * it proxies, seen through a type that outlives the core's bundle. After the routing bundle was
 * updated, transactions started by the old revision still carry the old revision's object: the new
 * core cannot cast it to its own class, but can read it through this interface and take the
 * request over, so that the responses still in flight reach the caller.
 */
public interface ProxyContext {

    /** The server transaction towards the caller. */
    ServerTransaction serverTransaction();

    /** The client transaction of the branch whose responses count; null before the first branch. */
    ClientTransaction currentBranch();

    /** True once a provisional response (other than 100) came back on the current branch. */
    boolean provisionalSeen();

    /** True once the caller asked to cancel the request. */
    boolean cancelRequested();

    /** True once a final response went to the caller. */
    boolean finalResponseSent();
}
