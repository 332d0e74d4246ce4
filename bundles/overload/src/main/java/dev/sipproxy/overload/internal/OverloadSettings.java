package dev.sipproxy.overload.internal;

import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

/**
 * The checked overload control configuration.
 *
 * @param dialogRate new dialogs admitted per second; 0 means no limit
 * @param configuredBurst the burst as configured; 0 means automatic (see {@link #burst()})
 * @param retryAfter Retry-After (seconds) in the 503 for a refused dialog
 */
record OverloadSettings(int dialogRate, int configuredBurst, int retryAfter) {

    static final int MAX_DIALOG_RATE = 1_000_000;
    static final int MAX_BURST = 1_000_000;
    static final int DEFAULT_RETRY_AFTER = 5;
    static final OverloadSettings DEFAULTS = parse(new ConfigValues(null));

    /** @throws InvalidConfigException naming the first bad value */
    static OverloadSettings parse(ConfigValues c) {
        return new OverloadSettings(
                c.integer("overload-ctrl-dialog-rate", 0, 0, MAX_DIALOG_RATE),
                c.integer("overload-ctrl-burst", 0, 0, MAX_BURST),
                c.integer("overload-retry-after", DEFAULT_RETRY_AFTER, 0, 3600));
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
        return limited()
                ? "overload-ctrl-dialog-rate=" + dialogRate + "/s, overload-ctrl-burst=" + burst()
                        + (configuredBurst == 0 ? " (automatic)" : "") + ", overload-retry-after=" + retryAfter + "s"
                : "overload-ctrl-dialog-rate=0 (no limit), overload-retry-after=" + retryAfter + "s";
    }
}
