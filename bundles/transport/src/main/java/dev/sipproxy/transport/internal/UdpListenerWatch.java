package dev.sipproxy.transport.internal;

import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.transport.ListeningPointInfo;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Checks every few seconds that each UDP listening point still has the stack's receive thread. That
 * thread ends only on an error the stack does not catch (it catches exceptions); after that the
 * socket stays bound and nothing reads it: a dead listener that peers cannot tell from a silent one.
 * The watch reports such listening points once; the transport then restarts the stack.
 */
final class UdpListenerWatch {
    static final long PERIOD_MILLIS = 2000;
    /** JAIN-SIP names the thread {@code MessageProcessorThread-UDP-<address>/<port>}. */
    private static final String THREAD_PREFIX = "MessageProcessorThread-UDP-";

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sip-proxy-udp-listener-watch");
        t.setDaemon(true);
        return t;
    });

    UdpListenerWatch(List<ListeningPointInfo> points, Consumer<List<ListeningPointInfo>> onDeaf) {
        timer.scheduleWithFixedDelay(() -> {
            List<ListeningPointInfo> deaf = deaf(points, threadNames());
            if (!deaf.isEmpty()) {
                timer.shutdown(); // reported once: the stack is restarted with a new watch
                onDeaf.accept(deaf);
            }
        }, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        timer.shutdownNow();
    }

    /** The UDP listening points among {@code points} that have no receive thread among {@code threadNames}. */
    static List<ListeningPointInfo> deaf(List<ListeningPointInfo> points, Set<String> threadNames) {
        return points.stream()
                .filter(p -> p.transport() == SipTransportType.UDP)
                .filter(p -> threadNames.stream().noneMatch(n -> n.startsWith(THREAD_PREFIX) && n.endsWith("/" + p.port())))
                .collect(Collectors.toList());
    }

    /** The names of the live threads (enumerated through the root thread group: no stack walk, no safepoint). */
    private static Set<String> threadNames() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 64];
        int n = root.enumerate(threads, true);
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            names.add(threads[i].getName());
        }
        return names;
    }
}
