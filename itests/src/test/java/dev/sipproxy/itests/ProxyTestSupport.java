package dev.sipproxy.itests;

import dev.sipproxy.api.SipServerPairs;

import javax.inject.Inject;

/** The distribution, with the proxy's pairs at hand for the tests. */
public abstract class ProxyTestSupport extends DistributionTestSupport {

    @Inject
    protected SipServerPairs pairs;
}
