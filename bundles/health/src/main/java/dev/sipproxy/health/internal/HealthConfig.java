package dev.sipproxy.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@code dev.sipproxy.health}; values are read and checked by {@link HealthSettings}. */
@ObjectClassDefinition(name = "SIP Proxy health monitoring",
        description = "OPTIONS probing of the SIP Server pair members.")
@interface HealthConfig {

    @AttributeDefinition(name = "oos-check", min = "0", max = "3600",
            description = "Seconds between OPTIONS probes of each member of a pair in service; 0 turns probing off.")
    int oos$_$check() default HealthSettings.DEFAULT_OOS_CHECK;

    @AttributeDefinition(name = "oos-force", min = "1", max = "3600",
            description = "Seconds between OPTIONS probes of the members of a pair that is out of service.")
    int oos$_$force() default HealthSettings.DEFAULT_OOS_FORCE;

    @AttributeDefinition(name = "probe-timeout", min = "100", max = "60000",
            description = "Milliseconds a member has to answer a probe before it counts as down.")
    int probe$_$timeout() default HealthSettings.DEFAULT_PROBE_TIMEOUT_MS;

    @AttributeDefinition(name = "probe-failure-codes", required = false,
            description = "Response codes from a member that count as not alive (any other response does).")
    String[] probe$_$failure$_$codes() default {};
}
