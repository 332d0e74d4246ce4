package dev.sipproxy.api;

/** The two members of a SIP Server HA pair. */
public enum MemberRole {
    PRIMARY, BACKUP;

    public MemberRole other() {
        return this == PRIMARY ? BACKUP : PRIMARY;
    }
}
