package dev.sipproxy.api;

/**
 * What the proxy knows of one pair member right now.
 *
 * @param role                which member
 * @param address             its configured address
 * @param ip                  the address the host name resolved to (the literal, if it was one); null if it did not resolve
 * @param up                  whether it answers (as far as the proxy knows)
 * @param adminDown           taken out of service by an operator
 * @param lastResponseMillis  wall-clock time of its last answer, 0 if never
 * @param lastStatusCode      status code of its last answer, 0 if never
 * @param consecutiveFailures probes or requests in a row it did not answer
 */
public record MemberState(MemberRole role, HostPort address, String ip, boolean up, boolean adminDown,
                          long lastResponseMillis, int lastStatusCode, int consecutiveFailures) {

    /** True when new calls may be sent to it. */
    public boolean usable() {
        return up && !adminDown && ip != null;
    }
}
