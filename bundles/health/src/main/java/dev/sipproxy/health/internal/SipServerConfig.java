package dev.sipproxy.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of one SIP Server HA pair (factory PID {@code dev.sipproxy.sipserver}). */
@ObjectClassDefinition(name = "SIP Server HA pair",
        description = "A primary/backup pair of SIP Servers that endpoint calls are sent to.")
@interface SipServerConfig {

    @AttributeDefinition(name = "name", description = "Unique name of the pair, used by serving-sipserver.")
    String name();

    @AttributeDefinition(name = "primary", description = "host:port of the primary SIP Server.")
    String primary();

    @AttributeDefinition(name = "backup", required = false, description = "host:port of the backup SIP Server; empty for none.")
    String backup() default "";

    @AttributeDefinition(name = "transport", description = "Transport towards both members (and of their OPTIONS probes): udp, tcp or tls.")
    String transport() default "udp";
}
