package dev.sipproxy.jainsip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;

import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.log4j.Logger;

/**
 * The stack's timer ({@code gov.nist.javax.sip.TIMER_CLASS_NAME}) on a pool of threads.
 *
 * <p>JAIN-SIP's default timer is one {@link java.util.Timer}: one thread runs every transaction's
 * timers, and with them the clean-up of every ended transaction (it encodes the messages to bytes
 * and parses them back). Near 1000 calls/s that thread was the proxy's ceiling while a core stood
 * idle, and all threads queued on its one lock to schedule. Here a {@link ScheduledThreadPoolExecutor}
 * runs them on as many threads as the stack property {@value #THREADS_PROPERTY} says (default: the
 * number of processors, at least 2).
 * A cancelled timer leaves the queue at once (the default timer keeps it, and the transaction it
 * points to, until it would have fired). A timer never interrupts a running task: an interrupt
 * closes the NIO channel under a UDP socket.
 */
public final class ParallelSipTimer implements SipTimer {
    /** Stack property: how many threads run the timers. */
    public static final String THREADS_PROPERTY = "dev.sipproxy.jainsip.TIMER_THREADS";

    private static final Logger LOG = Logger.getLogger("dev.sipproxy.jainsip");

    private volatile ScheduledThreadPoolExecutor executor;

    @Override
    public void start(SipStackImpl stack, Properties properties) {
        int threads = threads(properties);
        String name = stack == null ? "sip" : stack.getStackName();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + "-timer-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(threads, factory);
        e.setRemoveOnCancelPolicy(true);
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        e.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        e.prestartAllCoreThreads();
        executor = e;
    }

    static int threads(Properties properties) {
        String configured = properties == null ? null : properties.getProperty(THREADS_PROPERTY);
        if (configured != null) {
            try {
                int n = Integer.parseInt(configured.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
            LOG.warn(THREADS_PROPERTY + " '" + configured + "' is not a positive number; using the default");
        }
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delayMillis) {
        Future<?> f = running().schedule(new Guarded(task), delayMillis, TimeUnit.MILLISECONDS);
        task.setSipTimerTask(f);
        return true;
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delayMillis, long periodMillis) {
        Future<?> f = running().scheduleWithFixedDelay(new Guarded(task), delayMillis, periodMillis, TimeUnit.MILLISECONDS);
        task.setSipTimerTask(f);
        return true;
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        Object f = task.getSipTimerTask();
        if (!(f instanceof Future)) {
            return false;
        }
        task.cleanUpBeforeCancel();
        return ((Future<?>) f).cancel(false);
    }

    @Override
    public void stop() {
        ScheduledThreadPoolExecutor e = executor;
        if (e != null) {
            e.shutdown();
        }
    }

    @Override
    public boolean isStarted() {
        ScheduledThreadPoolExecutor e = executor;
        return e != null && !e.isShutdown();
    }

    private ScheduledThreadPoolExecutor running() {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null || e.isShutdown()) {
            // as the stack's own timers do: a stopped stack schedules nothing
            throw new IllegalStateException("The SIP stack timer has been stopped, no new tasks can be scheduled");
        }
        return e;
    }

    /** Runs a stack task; a failure is logged and, for a periodic task, does not end its later runs. */
    private static final class Guarded implements Runnable {
        private final SIPStackTimerTask task;

        Guarded(SIPStackTimerTask task) {
            this.task = task;
        }

        @Override
        public void run() {
            try {
                task.runTask();
            } catch (RuntimeException | Error e) {
                LOG.warn("SIP stack timer task " + task.getClass().getName() + " failed: " + e);
            }
        }
    }
}
