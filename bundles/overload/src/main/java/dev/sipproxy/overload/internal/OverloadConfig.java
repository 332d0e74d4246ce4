package dev.sipproxy.overload.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@code dev.sipproxy.overload}; values are read and checked by {@link OverloadSettings}. */
@ObjectClassDefinition(name = "SIP Proxy overload control",
        description = "Limits the rate of new dialogs (INVITEs without To tag) and refuses them while the proxy is behind; "
                + "the ones refused are answered 503 with Retry-After.")
@interface OverloadConfig {

    @AttributeDefinition(name = "overload-ctrl-dialog-rate", min = "0", max = "1000000",
            description = "New dialogs admitted per second, spread smoothly over the second (no per-second windows). "
                    + "0: no limit. Changes take effect at once.")
    int overload$_$ctrl$_$dialog$_$rate() default 0;

    @AttributeDefinition(name = "overload-ctrl-burst", min = "0", max = "1000000",
            description = "How many new dialogs may arrive at the same instant on top of the smooth rate. "
                    + "0: automatic, a tenth of a second's worth of overload-ctrl-dialog-rate (at least 1).")
    int overload$_$ctrl$_$burst() default 0;

    @AttributeDefinition(name = "overload-ctrl-max-queue-delay", min = "0", max = "60000",
            description = "Milliseconds a message received over UDP may wait before the proxy takes it up. Above it the proxy is "
                    + "behind: new dialogs are limited to a rate adapted every half second to what it keeps up with, the "
                    + "others answered 503 with Retry-After, until the offered load fits again; calls in progress go on. "
                    + "0: off. Changes take effect at once.")
    int overload$_$ctrl$_$max$_$queue$_$delay() default OverloadSettings.DEFAULT_MAX_QUEUE_DELAY;

    @AttributeDefinition(name = "overload-ctrl-max-queue-delay-tcp", min = "0", max = "60000",
            description = "The same for messages received over TCP or TLS, which no peer retransmits: a proxy behind on "
                    + "them answers later, and nothing more. 0: off. Changes take effect at once.")
    int overload$_$ctrl$_$max$_$queue$_$delay$_$tcp() default OverloadSettings.DEFAULT_MAX_QUEUE_DELAY_TCP;

    @AttributeDefinition(name = "overload-retry-after", min = "0", max = "3600",
            description = "Retry-After (seconds) in the 503 answered to a new dialog refused by overload control.")
    int overload$_$retry$_$after() default OverloadSettings.DEFAULT_RETRY_AFTER;
}
