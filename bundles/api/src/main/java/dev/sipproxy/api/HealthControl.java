package dev.sipproxy.api;

/** Operator actions on pair members. */
public interface HealthControl {

    /** Probes every member of {@code pair} with OPTIONS now; false if there is no such pair. */
    boolean probeNow(String pair);

    /**
     * Takes a member out of service (it gets no new calls, whatever its probes say) or puts it back;
     * false if there is no such member.
     */
    boolean setOutOfService(MemberRef member, boolean outOfService);
}
