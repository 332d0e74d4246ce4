package dev.sipproxy.overload.internal;

import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

/**
 * The checked overload control configuration.
 *
 * @param dialogRate new dialogs admitted per second; 0 means no limit
 * @param configuredBurst the burst as configured; 0 means automatic (see {@link #burst()})
 * @param retryAfter Retry-After (seconds) in the 503 for a refused dialog
 * @param maxQueueDelay milliseconds a message received over UDP may wait before new dialogs are refused; 0: off
 * @param maxQueueDelayTcp the same over TCP and TLS
 */
record OverloadSettings(int dialogRate, int configuredBurst, int retryAfter, int maxQueueDelay, int maxQueueDelayTcp) {

    static final int MAX_DIALOG_RATE = 1_000_000;
    static final int MAX_BURST = 1_000_000;
    static final int DEFAULT_RETRY_AFTER = 5;
    /**
     * Half of SIP's T1: a peer retransmits what waited 500 ms, adding to the load. A healthy proxy
     * keeps messages waiting a few milliseconds, and a 20 ms GC pause stays far below.
     */
    static final int DEFAULT_MAX_QUEUE_DELAY = 250;
    /**
     * Over TCP nothing is retransmitted: what waits is only answered later. 500 ms, the wait at which
     * a UDP message would be retransmitted, keeps the answers as prompt as over UDP; at 250 ms the
     * proxy refused a quarter of 3000 calls a second that Kamailio, as far behind, carried (p99 about
     * 430 ms for both), and with 500 it carried 3500 cleanly (p99 364 ms).
     */
    static final int DEFAULT_MAX_QUEUE_DELAY_TCP = 500;
    static final OverloadSettings DEFAULTS = parse(new ConfigValues(null));

    /** @throws InvalidConfigException naming the first bad value */
    static OverloadSettings parse(ConfigValues c) {
        return new OverloadSettings(
                c.integer("overload-ctrl-dialog-rate", 0, 0, MAX_DIALOG_RATE),
                c.integer("overload-ctrl-burst", 0, 0, MAX_BURST),
                c.integer("overload-retry-after", DEFAULT_RETRY_AFTER, 0, 3600),
                c.integer("overload-ctrl-max-queue-delay", DEFAULT_MAX_QUEUE_DELAY, 0, 60_000),
                c.integer("overload-ctrl-max-queue-delay-tcp", DEFAULT_MAX_QUEUE_DELAY_TCP, 0, 60_000));
    }

    /** How many dialogs may arrive at the same instant: as configured, or a tenth of a second's worth (at least 1). */
    int burst() {
        return configuredBurst > 0 ? configuredBurst : automaticBurst(dialogRate);
    }

    static int automaticBurst(int dialogRate) {
        return Math.max(1, dialogRate / 10);
    }

    /**
     * How far behind the proxy is, as one wait measured against {@link #queueDelayLimit()}: the UDP
     * wait, or the TCP wait scaled from its own limit to that one, whichever is further over. A wait
     * whose limit is off does not count.
     */
    long backlogAgainstLimit(long datagramMillis, long streamMillis) {
        int limit = queueDelayLimit();
        long udp = maxQueueDelay > 0 ? datagramMillis : 0;
        long tcp = maxQueueDelayTcp > 0 ? streamMillis * limit / maxQueueDelayTcp : 0;
        return Math.max(udp, tcp);
    }

    /** The limit {@link #backlogAgainstLimit} is measured against: the UDP one, or the TCP one when that is off; 0: both off. */
    int queueDelayLimit() {
        return maxQueueDelay > 0 ? maxQueueDelay : maxQueueDelayTcp;
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
                + ", overload-ctrl-max-queue-delay-tcp=" + (maxQueueDelayTcp > 0 ? maxQueueDelayTcp + "ms" : "0 (off)")
                + ", overload-retry-after=" + retryAfter + "s";
    }
}
