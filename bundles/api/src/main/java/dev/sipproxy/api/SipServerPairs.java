package dev.sipproxy.api;

import java.util.List;
import java.util.Optional;

/**
 * The SIP Server HA pairs and where each one's calls should go now. Reads are cheap and lock-free:
 * routing asks on every request.
 */
public interface SipServerPairs {

    /** Every configured pair, in name order. */
    List<PairState> pairs();

    /** One pair by name. */
    Optional<PairState> pair(String name);

    /**
     * True when {@code member} answered anything (a call's response or a probe) at or after
     * {@code sinceMillis} (wall clock): it is alive, whatever one unanswered request says.
     */
    default boolean answeredSince(MemberRef member, long sinceMillis) {
        return pair(member.pair()).flatMap(p -> p.member(member.role()))
                .map(m -> m.lastResponseMillis() >= sinceMillis).orElse(false);
    }

    /** The pair member that listens at {@code ip:port}, if any (used to tell SIP Server traffic from endpoint traffic). */
    Optional<MemberRef> memberAt(String ip, int port);

    /**
     * A request arrived from {@code member}. When it is the member that does not get the calls, a
     * switchover happened on the SIP Server side, and the pair's calls follow it.
     */
    void requestReceivedFrom(MemberRef member);

    /** A request sent to {@code member} was answered (any response): it is alive. */
    void memberAnswered(MemberRef member, int statusCode);

    /** A request sent to {@code member} got no answer, a transport error, or a 503 of its own. */
    void memberFailed(MemberRef member, String reason);
}
