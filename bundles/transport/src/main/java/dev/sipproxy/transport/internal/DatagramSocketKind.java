package dev.sipproxy.transport.internal;

/**
 * Which of the JDK's datagram socket implementations the UDP listening point runs on, for its log line.
 *
 * <p>From JDK 15 a {@code DatagramSocket} is built on {@code DatagramChannel}, whose sends take one lock
 * per socket: the stack's worker threads, which all send on the listening point's one socket, queue
 * for it, and the receiving thread with them when it answers a refused INVITE. JDK 15-17 keep the
 * earlier implementation, which sends without that lock, behind
 * {@value #LEGACY_PROPERTY}=true; the distribution's {@code bin/setenv} sets it (eighteenth and
 * nineteenth benchmark rounds, README). JDK 18 removed it and ignores the property.
 */
final class DatagramSocketKind {
    static final String LEGACY_PROPERTY = "jdk.net.usePlainDatagramSocketImpl";

    private DatagramSocketKind() {
    }

    /** This JVM's kind. */
    static String current() {
        return describe(Runtime.version().feature(), System.getProperty(LEGACY_PROPERTY));
    }

    /** The JDK's own reading of the property: set empty or to true (any case), on JDK 15 to 17. */
    static String describe(int jdkFeature, String property) {
        boolean asked = property != null && (property.isEmpty() || property.equalsIgnoreCase("true"));
        if (jdkFeature < 15) {
            return "legacy datagram socket (JDK " + jdkFeature + ")";
        }
        if (asked && jdkFeature <= 17) {
            return "legacy datagram socket (" + LEGACY_PROPERTY + "), concurrent sends";
        }
        return "channel-based datagram socket, one send at a time" + (asked ? " (" + LEGACY_PROPERTY
                + " is ignored from JDK 18)" : "");
    }
}
