package dev.sipproxy.jainsip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.After;
import org.junit.Test;

/** The timing wheel: every task runs once, never early, through several turns; cancel and stop hold. */
public class TimerWheelTest {

    private TimerWheel wheel;

    @After
    public void stop() {
        if (wheel != null) {
            wheel.stop();
        }
    }

    @Test
    public void thousandsOfTasksEachRunOnceAndNeverBeforeTheirDelay() throws Exception {
        // 1 ms ticks on 16 buckets: delays up to 300 ms go round the wheel many times
        wheel = new TimerWheel("test", 2, 1, 16);
        int tasks = 5000;
        Random random = new Random(42);
        CountDownLatch done = new CountDownLatch(tasks);
        AtomicInteger early = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < tasks; i++) {
            long delay = random.nextInt(300);
            long notBefore = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            wheel.schedule(() -> {
                if (System.nanoTime() < notBefore) {
                    early.incrementAndGet();
                }
                runs.incrementAndGet();
                done.countDown();
            }, delay);
        }
        assertTrue("all ran", done.await(10, TimeUnit.SECONDS));
        assertEquals("ran before the delay", 0, early.get());
        Thread.sleep(50); // a second run, if there were one, would come within a few ticks
        assertEquals("each ran once", tasks, runs.get());
    }

    @Test
    public void aTaskLongerThanATurnWaitsForItsRound() throws Exception {
        wheel = new TimerWheel("test", 1, 1, 8); // a turn is 8 ms
        CountDownLatch done = new CountDownLatch(1);
        long start = System.nanoTime();
        wheel.schedule(done::countDown, 100);
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue("not before 100 ms", System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    public void aPeriodicTaskRunsAgainUntilCancelledAndNotAfter() throws Exception {
        wheel = new TimerWheel("test", 2);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        TimerWheel.Handle h = wheel.scheduleWithFixedDelay(() -> {
            runs.incrementAndGet();
            three.countDown();
        }, 0, 20);
        assertTrue(three.await(5, TimeUnit.SECONDS));
        assertTrue("cancel stops a waiting periodic task", h.cancel());
        int after = runs.get();
        Thread.sleep(100); // five periods
        assertTrue("at most the run under way when cancelled", runs.get() <= after + 1);
        assertFalse("a second cancel has nothing to stop", h.cancel());
    }

    @Test
    public void aPeriodicTaskCancelledDuringItsRunDoesNotRunAgain() throws Exception {
        wheel = new TimerWheel("test", 2);
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<TimerWheel.Handle> self = new AtomicReference<>();
        CountDownLatch scheduled = new CountDownLatch(1);
        self.set(wheel.scheduleWithFixedDelay(() -> {
            try {
                scheduled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runs.incrementAndGet();
            self.get().cancel();
        }, 0, 10));
        scheduled.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (runs.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(100); // ten periods
        assertEquals(1, runs.get());
    }

    @Test
    public void aCancelledTaskNeverRuns() throws Exception {
        wheel = new TimerWheel("test", 2);
        CountDownLatch ran = new CountDownLatch(1);
        TimerWheel.Handle h = wheel.schedule(ran::countDown, 50);
        assertTrue(h.cancel());
        assertFalse(ran.await(200, TimeUnit.MILLISECONDS));
    }

    @Test
    public void aFailingTaskDoesNotStopTheOthersInItsTick() throws Exception {
        wheel = new TimerWheel("test", 1);
        CountDownLatch others = new CountDownLatch(10);
        for (int i = 0; i < 20; i++) {
            boolean fail = i % 2 == 0;
            wheel.schedule(() -> {
                if (fail) {
                    throw new IllegalStateException("a failing task");
                }
                others.countDown();
            }, 20);
        }
        assertTrue(others.await(5, TimeUnit.SECONDS));
    }

    @Test
    public void stopDropsWaitingTasksRefusesNewOnesAndEndsItsThreads() throws Exception {
        wheel = new TimerWheel("wheel-stop-test", 2);
        CountDownLatch ran = new CountDownLatch(1);
        wheel.schedule(ran::countDown, 100);
        assertTrue(threadsNamed("wheel-stop-test-timer").size() >= 3);
        wheel.stop();
        assertFalse(wheel.isRunning());
        assertFalse("a waiting task is dropped", ran.await(300, TimeUnit.MILLISECONDS));
        try {
            wheel.schedule(() -> { }, 0);
            throw new AssertionError("scheduled on a stopped wheel");
        } catch (IllegalStateException expected) {
            // as the stack's own timers
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!threadsNamed("wheel-stop-test-timer").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("threads left", List.of(), threadsNamed("wheel-stop-test-timer"));
    }

    @Test
    public void tasksScheduledFromManyThreadsAllRun() throws Exception {
        wheel = new TimerWheel("test", 2);
        int threads = 4;
        int each = 2000;
        CountDownLatch done = new CountDownLatch(threads * each);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> schedulers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread s = new Thread(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        wheel.schedule(done::countDown, i % 50);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            schedulers.add(s);
            s.start();
        }
        for (Thread s : schedulers) {
            s.join(5000);
        }
        assertEquals(List.of(), new ArrayList<>(failures));
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    private static List<String> threadsNamed(String prefix) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }
}
