package dev.sipproxy.transport.internal;

import dev.sipproxy.jainsip.net.StackConnections.ObservedSocket;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes TCP and TLS connections, made or accepted, on which nothing arrived for
 * {@code idle-timeout} seconds (keep-alive pongs and a peer's pings count as traffic). The stack
 * opens a new connection when it next needs one.
 */
final class IdleConnections {
    private static final Logger LOG = LoggerFactory.getLogger(IdleConnections.class);

    private final RunningStack stack;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sip-idle-connections");
        t.setDaemon(true);
        return t;
    });
    private volatile int idleSeconds;

    IdleConnections(RunningStack stack, int idleSeconds) {
        this.stack = stack;
        this.idleSeconds = idleSeconds;
        timer.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    void update(int seconds) {
        this.idleSeconds = seconds;
    }

    void stop() {
        timer.shutdownNow();
    }

    private void sweep() {
        int idle = idleSeconds;
        if (idle <= 0) {
            return;
        }
        long now = System.nanoTime();
        for (ObservedSocket s : stack.connections().all()) {
            if (!s.isClosed() && now - s.lastActivityNanos() > TimeUnit.SECONDS.toNanos(idle)) {
                LOG.info("Idle connection {} {}:{} closed: nothing received for {} s", s.isInbound() ? "from" : "to",
                        s.getInetAddress().getHostAddress(), s.getPort(), idle);
                try {
                    s.close();
                } catch (IOException e) {
                    // closed anyway
                }
            }
        }
    }
}
