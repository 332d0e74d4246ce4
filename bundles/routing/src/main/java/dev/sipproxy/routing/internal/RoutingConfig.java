package dev.sipproxy.routing.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@code dev.sipproxy.routing}; values are read and checked by {@link RoutingSettings}. */
@ObjectClassDefinition(name = "SIP Proxy routing",
        description = "Where endpoint requests go, and how the proxy answers when it cannot route.")
@interface RoutingConfig {

    @AttributeDefinition(name = "serving-sipserver", required = false,
            description = "Name of the SIP Server pair that serves endpoint requests; empty: the only configured pair.")
    String serving$_$sipserver() default "";

    @AttributeDefinition(name = "fallback-sipserver", required = false,
            description = "Pair that takes endpoint requests while the serving pair is out of service; empty: none (503).")
    String fallback$_$sipserver() default "";

    @AttributeDefinition(name = "record-route", description = "Record-Route dialog-creating requests so in-dialog requests come back through the proxy.")
    boolean record$_$route() default true;

    @AttributeDefinition(name = "retry-after", min = "0", max = "3600",
            description = "Retry-After (seconds) in the 503 answered when no SIP Server can take a call.")
    int retry$_$after() default RoutingSettings.DEFAULT_RETRY_AFTER;

    @AttributeDefinition(name = "failover-timer", min = "0", max = "32000",
            description = "Milliseconds a request to a SIP Server may go without any response before it is retried on the other member of the pair; 0 turns it off.")
    int failover$_$timer() default RoutingSettings.DEFAULT_FAILOVER_TIMER_MS;

    @AttributeDefinition(name = "supported-proxy-require", required = false,
            description = "Option tags the proxy accepts in Proxy-Require; any other gets 420 Bad Extension.")
    String[] supported$_$proxy$_$require() default {};
}
