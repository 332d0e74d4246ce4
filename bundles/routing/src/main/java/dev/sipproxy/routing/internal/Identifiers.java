package dev.sipproxy.routing.internal;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Via branches and To tags that are unique for this proxy: a random prefix chosen at start, then
 * a counter. Cheaper than hashing per message, and unique across restarts through the prefix.
 */
final class Identifiers {
    static final String MAGIC_COOKIE = "z9hG4bK";
    private final String prefix;
    /** Begins the To tag of every refusal sent without a transaction; never the start of a {@link #newTag()}. */
    private final String refusalPrefix;
    private final AtomicLong counter = new AtomicLong();

    Identifiers() {
        SecureRandom random = new SecureRandom();
        prefix = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        refusalPrefix = "sp" + prefix + "-r";
    }

    String newBranch() {
        return MAGIC_COOKIE + "-sp" + prefix + "." + Long.toString(counter.incrementAndGet(), 36);
    }

    /** A branch that ends with the request's loop-detection hash ({@link LoopDetector}). */
    String newBranch(String loopHash) {
        return newBranch() + "." + loopHash;
    }

    String newTag() {
        return "sp" + prefix + "." + Long.toString(counter.incrementAndGet(), 36);
    }

    /** The To tag of a response sent without a transaction, by which its ACK is known ({@link #isRefusalTag}). */
    String newRefusalTag() {
        return refusalPrefix + Long.toString(counter.incrementAndGet(), 36);
    }

    /** True for a tag of {@link #newRefusalTag()}: of this start of the proxy (base 36 has no '-'). */
    boolean isRefusalTag(String tag) {
        return tag != null && tag.startsWith(refusalPrefix);
    }
}
