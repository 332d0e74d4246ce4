package dev.sipproxy.overload.internal;

import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

/**
 * The checked overload control configuration.
 *
 * @param dialogRate new dialogs admitted per second; 0 means no limit
 * @param configuredBurst the burst as configured; 0 means automatic (see {@link #burst()})
 * @param retryAfter Retry-After (seconds) in the 503 for a refused dialog
 * @param maxQueueDelay milliseconds a received message may wait before new dialogs are refused; 0: off
 */
record OverloadSettings(int dialogRate, int configuredBurst, int retryAfter, int maxQueueDelay) {

    static final int MAX_DIALOG_RATE = 1_000_000;
    static final int MAX_BURST = 1_000_000;
    static final int DEFAULT_RETRY_AFTER = 5;
    /**
     * Half of SIP's T1: a peer retransmits what waited 500 ms, adding to the load. A healthy proxy
     * keeps messages waiting a few milliseconds, and a 20 ms GC pause stays far below.
     */
    static final int DEFAULT_MAX_QUEUE_DELAY = 250;
    static final OverloadSettings DEFAULTS = parse(new ConfigValues(null));

    /** @throws InvalidConfigException naming the first bad value */
    static OverloadSettings parse(ConfigValues c) {
        return new OverloadSettings(
                c.integer("overload-ctrl-dialog-rate", 0, 0, MAX_DIALOG_RATE),
                c.integer("overload-ctrl-burst", 0, 0, MAX_BURST),
                c.integer("overload-retry-after", DEFAULT_RETRY_AFTER, 0, 3600),
                c.integer("overload-ctrl-max-queue-delay", DEFAULT_MAX_QUEUE_DELAY, 0, 60_000));
    }

    /** How many dialogs may arrive at the same instant: as configured, or a tenth of a second's worth (at least 1). */
    int burst() {
        return configuredBurst > 0 ? configuredBurst : automaticBurst(dialogRate);
    }

    static int automaticBurst(int dialogRate) {
        return Math.max(1, dialogRate / 10);
    }

    boolean limited() {
        return dialogRate > 0;
    }

    @Override
    public String toString() {
        return (limited()
                ? "overload-ctrl-dialog-rate=" + dialogRate + "/s, overload-ctrl-burst=" + burst()
                        + (configuredBurst == 0 ? " (automatic)" : "")
                : "overload-ctrl-dialog-rate=0 (no limit)")
                + ", overload-ctrl-max-queue-delay=" + (maxQueueDelay > 0 ? maxQueueDelay + "ms" : "0 (off)")
                + ", overload-retry-after=" + retryAfter + "s";
    }
}
