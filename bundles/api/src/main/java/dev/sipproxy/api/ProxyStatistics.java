package dev.sipproxy.api;

import java.util.Map;

/** Traffic counters of the proxy core, cumulative since it started. Reads are cheap snapshots. */
public interface ProxyStatistics {

    /** Requests received, by method. */
    Map<String, Long> requestsReceived();

    /** Responses sent upstream (forwarded or generated), by class: "1xx" ... "6xx". */
    Map<String, Long> responsesSent();

    /** INVITE transactions without a final response yet. */
    long callsInProgress();

    /** Requests answered by the proxy itself instead of forwarded, by status code. */
    Map<Integer, Long> rejections();

    /** Requests retried on the other member of a pair after the first did not answer. */
    long failovers();
}
