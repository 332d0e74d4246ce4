package dev.sipproxy.jainsip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/** The properties a stack was configured with, read by this bundle's listening points. */
final class StackConfiguration {
    private StackConfiguration() {
    }

    /** A whole-number property {@code stack} was configured with, or {@code fallback} if it is missing or not a number. */
    static long wholeNumber(SIPTransactionStack stack, String name, long fallback) {
        String configured = stack instanceof SipStackImpl impl ? impl.getConfigurationProperties().getProperty(name) : null;
        try {
            return configured == null ? fallback : Long.parseLong(configured.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
