package dev.sipproxy.pool.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@code dev.sipproxy.pool}; values are read and checked by {@link PoolSettings}. */
@ObjectClassDefinition(name = "SIP Proxy pool",
        description = "The proxy instances that together act as one proxy, and how this instance watches the others.")
@interface PoolConfig {

    @AttributeDefinition(name = "proxy-instances", required = false,
            description = "host:port of every proxy instance of the pool, this one included. Empty: no pool, this instance routes.")
    String[] proxy$_$instances() default {};

    @AttributeDefinition(name = "own-address", required = false,
            description = "host:port of this instance in proxy-instances. Empty: found by matching the list against the "
                    + "addresses and ports this instance listens on.")
    String own$_$address() default "";

    @AttributeDefinition(name = "pool-address", required = false,
            description = "Shared host:port of the pool (virtual IP or DNS name) written in Record-Route instead of this "
                    + "instance's own address, so that any instance can take a dialog's in-dialog requests.")
    String pool$_$address() default "";

    @AttributeDefinition(name = "peer-check", min = "0", max = "3600",
            description = "Seconds between OPTIONS probes of each other instance; 0 turns probing off.")
    int peer$_$check() default PoolSettings.DEFAULT_PEER_CHECK;

    @AttributeDefinition(name = "peer-timeout", min = "100", max = "60000",
            description = "Milliseconds another instance has to answer a probe before it counts as disconnected.")
    int peer$_$timeout() default PoolSettings.DEFAULT_PEER_TIMEOUT_MS;
}
