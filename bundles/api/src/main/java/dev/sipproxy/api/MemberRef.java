package dev.sipproxy.api;

/** Names one member of one pair. */
public record MemberRef(String pair, MemberRole role) {
    @Override
    public String toString() {
        return pair + "/" + role.name().toLowerCase(java.util.Locale.ROOT);
    }
}
