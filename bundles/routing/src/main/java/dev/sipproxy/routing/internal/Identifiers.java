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
    private final AtomicLong counter = new AtomicLong();

    Identifiers() {
        SecureRandom random = new SecureRandom();
        prefix = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
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
}
