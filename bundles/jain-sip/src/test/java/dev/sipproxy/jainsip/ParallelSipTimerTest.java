package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import gov.nist.javax.sip.stack.SIPStackTimerTask;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The stack's timer: tasks run once or periodically, a failing task keeps its period, cancel and stop end them. */
public class ParallelSipTimerTest {

    private final ParallelSipTimer timer = new ParallelSipTimer();

    @Before
    public void start() {
        timer.start(null, new Properties());
        assertTrue(timer.isStarted());
    }

    @After
    public void stop() {
        timer.stop();
    }

    @Test
    public void aTaskRunsOnceAfterItsDelay() throws Exception {
        CountingTask task = new CountingTask(1, false);
        long before = System.nanoTime();
        assertTrue(timer.schedule(task, 50));
        assertTrue("ran", task.done.await(5, TimeUnit.SECONDS));
        assertTrue("not before its delay", System.nanoTime() - before >= TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    public void aPeriodicTaskThatThrowsKeepsRunning() throws Exception {
        CountingTask task = new CountingTask(3, true);
        timer.scheduleWithFixedDelay(task, 0, 10);
        assertTrue("three runs despite the exceptions", task.done.await(5, TimeUnit.SECONDS));
        assertTrue(timer.cancel(task));
    }

    @Test
    public void aCancelledTaskDoesNotRunAndIsToldSo() throws Exception {
        CountingTask task = new CountingTask(1, false);
        timer.schedule(task, 200);
        assertTrue(timer.cancel(task));
        assertEquals("cleanUpBeforeCancel was called", 1, task.cleanedUp.get());
        assertFalse("never ran", task.done.await(400, TimeUnit.MILLISECONDS));
        assertFalse("a task never scheduled cannot be cancelled", timer.cancel(new CountingTask(1, false)));
    }

    @Test
    public void afterStopNothingRunsAndNothingCanBeScheduled() throws Exception {
        CountingTask pending = new CountingTask(1, false);
        timer.schedule(pending, 200);
        timer.stop();
        assertFalse(timer.isStarted());
        assertFalse("a delayed task is dropped by stop", pending.done.await(400, TimeUnit.MILLISECONDS));
        try {
            timer.schedule(new CountingTask(1, false), 0);
            throw new AssertionError("scheduled on a stopped timer");
        } catch (IllegalStateException expected) {
            // as the stack's own timers
        }
    }

    @Test
    public void threadsComeFromThePropertyOrTheProcessors() {
        Properties p = new Properties();
        p.setProperty(ParallelSipTimer.THREADS_PROPERTY, "3");
        assertEquals(3, ParallelSipTimer.threads(p));
        p.setProperty(ParallelSipTimer.THREADS_PROPERTY, "zero");
        assertEquals(Math.max(2, Runtime.getRuntime().availableProcessors()), ParallelSipTimer.threads(p));
        assertEquals(Math.max(2, Runtime.getRuntime().availableProcessors()), ParallelSipTimer.threads(new Properties()));
    }

    private static final class CountingTask extends SIPStackTimerTask {
        final CountDownLatch done;
        final AtomicInteger cleanedUp = new AtomicInteger();
        private final boolean fail;

        CountingTask(int runs, boolean fail) {
            this.done = new CountDownLatch(runs);
            this.fail = fail;
        }

        @Override
        public void runTask() {
            done.countDown();
            if (fail) {
                throw new IllegalStateException("a failing timer task");
            }
        }

        @Override
        public void cleanUpBeforeCancel() {
            cleanedUp.incrementAndGet();
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }
}
