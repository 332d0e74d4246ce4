package dev.sipproxy.transport.internal;

/** Via branch parameters as RFC 3261 defines them. */
final class Branches {
    private Branches() {
    }

    /**
     * Whether {@code branch} (or a transaction key built from it) starts with the RFC 3261 magic
     * cookie {@code z9hG4bK}, in any case: such a branch alone identifies its transaction (17.1.3,
     * 17.2.3); without it, an RFC 2543 element's request is matched on its content.
     */
    static boolean hasMagicCookie(String branch) {
        return branch != null && branch.regionMatches(true, 0, "z9hG4bK", 0, 7);
    }
}
