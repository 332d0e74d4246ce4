package dev.sipproxy.jainsip.net;

/**
 * Which of the JDK's datagram socket implementations a UDP listening point runs on, and so whether
 * several threads can send on one socket at once.
 *
 * <p>From JDK 15 a {@code DatagramSocket} is built on {@code DatagramChannel}, whose sends take one lock
 * per socket: the stack's worker threads, which all send on the listening point's one socket, queue
 * for it, and so does the receiving thread when it sends (a refused INVITE's 503, or everything it
 * sends while it processes what it received itself). JDK 15-17 keep the earlier implementation,
 * which sends without that lock, behind {@value #LEGACY_PROPERTY}=true; the distribution's
 * {@code bin/setenv} sets it (eighteenth and nineteenth benchmark rounds, bench/HISTORY.md). JDK 18 removed it
 * and ignores the property.
 */
public final class DatagramSocketKind {
    public static final String LEGACY_PROPERTY = "jdk.net.usePlainDatagramSocketImpl";
    /** A system property: true or false to have the UDP receiving thread process on receipt or not, whatever the socket. */
    public static final String PROCESS_ON_RECEIPT_PROPERTY = "dev.sipproxy.udp.processOnReceipt";

    private DatagramSocketKind() {
    }

    /** Whether this JVM's datagram sockets send without a per-socket lock. */
    public static boolean sendsConcurrently() {
        return sendsConcurrently(Runtime.version().feature(), System.getProperty(LEGACY_PROPERTY));
    }

    /**
     * Whether a UDP listening point's receiving thread processes what it receives while it keeps up
     * (else every datagram goes to a worker thread): where the socket sends without a lock, unless
     * {@value #PROCESS_ON_RECEIPT_PROPERTY} says otherwise. On the channel-based socket a receiving
     * thread that processes sends as the workers do and queues with them for the socket's one send
     * lock, receiving nothing meanwhile; and the one interleaved run that failed calls at a moderate
     * rate with the receiving thread processing (eighteenth benchmark round, bench/HISTORY.md) ran on that
     * socket. Three runs on the legacy socket (nineteenth round) failed none.
     */
    public static boolean receivingThreadProcesses() {
        String property = System.getProperty(PROCESS_ON_RECEIPT_PROPERTY);
        return property == null ? sendsConcurrently() : Boolean.parseBoolean(property);
    }

    /** This JVM's kind, for a log line. */
    public static String current() {
        return describe(Runtime.version().feature(), System.getProperty(LEGACY_PROPERTY));
    }

    static boolean sendsConcurrently(int jdkFeature, String property) {
        return jdkFeature < 15 || jdkFeature <= 17 && asked(property);
    }

    static String describe(int jdkFeature, String property) {
        if (jdkFeature < 15) {
            return "legacy datagram socket (JDK " + jdkFeature + ")";
        }
        if (sendsConcurrently(jdkFeature, property)) {
            return "legacy datagram socket (" + LEGACY_PROPERTY + "), concurrent sends";
        }
        return "channel-based datagram socket, one send at a time" + (asked(property) ? " (" + LEGACY_PROPERTY
                + " is ignored from JDK 18)" : "");
    }

    /** The JDK's own reading of the property: set empty or to true, in any case. */
    private static boolean asked(String property) {
        return property != null && (property.isEmpty() || property.equalsIgnoreCase("true"));
    }
}
