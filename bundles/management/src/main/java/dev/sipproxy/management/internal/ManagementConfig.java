package dev.sipproxy.management.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/dev.sipproxy.management.cfg}: who may see and who may steer the proxy over HTTP. */
@ObjectClassDefinition(name = "SIP Proxy management",
        description = "HTTP management of the SIP proxy: JSON API, Prometheus metrics, status page")
public @interface ManagementConfig {
    String PID = "dev.sipproxy.management";

    @AttributeDefinition(name = "read-only-open",
            description = "true: the read-only views (GET, except /config) need no login; false: they need a user of the realm with role admin, manager or viewer. Actions and /config always need role admin.")
    boolean read$_$only$_$open() default true;

    @AttributeDefinition(name = "realm", description = "Karaf JAAS realm that checks HTTP Basic credentials")
    String realm() default "karaf";

    @AttributeDefinition(name = "listener-check-seconds",
            description = "Seconds after start (or after the HTTP service went away) by which the HTTP listener must be up; otherwise event 40007 is logged")
    int listener$_$check$_$seconds() default 20;
}
