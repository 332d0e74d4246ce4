package dev.sipproxy.jainsip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;

import java.util.Properties;

import org.apache.log4j.Logger;

/**
 * The stack's timer ({@code gov.nist.javax.sip.TIMER_CLASS_NAME}): a {@link TimerWheel} whose due
 * tasks run on a pool of threads.
 *
 * <p>JAIN-SIP's default timer is one {@link java.util.Timer}: one thread runs every transaction's
 * timers, and with them the clean-up of every ended transaction (it encodes the messages to bytes
 * and parses them back). Near 1000 calls/s that thread was the proxy's ceiling while a core stood
 * idle, and all threads queued on its one lock to schedule. Here the due tasks run on as many threads
 * as the stack property {@value #THREADS_PROPERTY} says (default: the number of processors, at least
 * 2). A cancelled timer lets go of its task at once (the default timer keeps it, and the transaction
 * it points to, until it would have fired). A timer never interrupts a running task: an interrupt
 * closes the NIO channel under a UDP socket.
 */
public final class ParallelSipTimer implements SipTimer {
    /** Stack property: how many threads run the timers. */
    public static final String THREADS_PROPERTY = "dev.sipproxy.jainsip.TIMER_THREADS";

    private static final Logger LOG = Logger.getLogger("dev.sipproxy.jainsip");

    private volatile TimerWheel wheel;

    @Override
    public void start(SipStackImpl stack, Properties properties) {
        wheel = new TimerWheel(stack == null ? "sip" : stack.getStackName(), threads(properties));
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
        task.setSipTimerTask(running().schedule(new Guarded(task), delayMillis));
        return true;
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delayMillis, long periodMillis) {
        task.setSipTimerTask(running().scheduleWithFixedDelay(new Guarded(task), delayMillis, periodMillis));
        return true;
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        Object handle = task.getSipTimerTask();
        if (!(handle instanceof TimerWheel.Handle)) {
            return false;
        }
        task.cleanUpBeforeCancel();
        return ((TimerWheel.Handle) handle).cancel();
    }

    @Override
    public void stop() {
        TimerWheel w = wheel;
        if (w != null) {
            w.stop();
        }
    }

    @Override
    public boolean isStarted() {
        TimerWheel w = wheel;
        return w != null && w.isRunning();
    }

    private TimerWheel running() {
        TimerWheel w = wheel;
        if (w == null) {
            throw new IllegalStateException("The SIP stack timer has not been started");
        }
        return w;
    }

    /**
     * Runs a stack task; a failure is logged with the task's class and where it failed and, for a
     * periodic task, does not end its later runs. A periodic task that keeps failing is logged at its
     * 1st, 10th, 100th... failure, not every 500 ms.
     */
    private static final class Guarded implements Runnable {
        private final SIPStackTimerTask task;
        /** Runs of this task that failed; its runs never overlap. */
        private long failures;

        Guarded(SIPStackTimerTask task) {
            this.task = task;
        }

        @Override
        public void run() {
            try {
                task.runTask();
            } catch (RuntimeException | Error e) {
                failures++;
                if (isPowerOfTen(failures)) {
                    LOG.warn("SIP stack timer task " + task.getClass().getName() + " failed"
                            + (failures > 1 ? " (" + failures + " times)" : "") + ": " + e + TimerWheel.where(e));
                }
            }
        }

        private static boolean isPowerOfTen(long n) {
            while (n >= 10 && n % 10 == 0) {
                n /= 10;
            }
            return n == 1;
        }
    }
}
