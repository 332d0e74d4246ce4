package dev.sipproxy.api;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one pair: its configuration, its members' states and which member new calls go to.
 *
 * @param pair    the configuration
 * @param active  the member that gets new calls; empty when the pair is out of service
 * @param members the primary first, then the backup if there is one
 */
public record PairState(ServerPair pair, Optional<MemberRole> active, List<MemberState> members) {

    public boolean inService() {
        return active.isPresent();
    }

    public Optional<MemberState> member(MemberRole role) {
        for (MemberState m : members) { // a loop, not a stream: this runs for every response relayed
            if (m.role() == role) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The state of the active member, if the pair is in service. */
    public Optional<MemberState> activeMember() {
        return active.flatMap(this::member);
    }
}
