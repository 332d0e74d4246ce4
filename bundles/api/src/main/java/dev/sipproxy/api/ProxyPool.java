package dev.sipproxy.api;

import java.util.List;
import java.util.Optional;

/**
 * The pool of proxy instances this one belongs to: whether this instance may route (it found its
 * own address in the configured instance list), the pool address to Record-Route with, and which
 * of the other instances answer.
 */
public interface ProxyPool {

    /** One other instance and whether it answers this instance's OPTIONS probes. */
    record Instance(HostPort address, boolean self, boolean up, long lastResponseMillis) {
    }

    /**
     * False while an instance list is configured that does not contain this instance's own
     * address (event 40000): the proxy then answers 503 instead of routing. True when no list is
     * configured.
     */
    boolean routingAllowed();

    /** The shared address to write in Record-Route instead of this instance's own, if configured. */
    Optional<HostPort> poolAddress();

    /** True when {@code host:port} is the pool address (so a Route to it is this proxy's own). */
    boolean isPoolAddress(String host, int port);

    /** Every configured instance, this one included, with what is known of it. */
    List<Instance> instances();
}
