package dev.sipproxy.overload.internal;

import dev.sipproxy.api.AdmissionControl;
import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.config.LastGoodConfig;
import dev.sipproxy.api.state.SavedState;
import dev.sipproxy.api.transport.SipTransport;

import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AdmissionControl} service: admits new dialogs up to {@code overload-ctrl-dialog-rate}
 * per second (smoothly, see {@link DialogRateLimiter}) and, while the proxy is behind, no more than
 * it keeps up with (see {@link AdaptiveDialogRate}), counts them and tells when the proxy is overloaded. A configuration
 * change applies to the next call.
 */
@Component(service = {AdmissionControl.class, AdmissionStatistics.class}, configurationPid = OverloadControl.PID, immediate = true)
@Designate(ocd = OverloadConfig.class)
public class OverloadControl implements AdmissionControl, AdmissionStatistics {
    static final String PID = "dev.sipproxy.overload";
    private static final Logger LOG = LoggerFactory.getLogger(OverloadControl.class);
    /**
     * How often the receive backlog is sampled, and the end of an overload looked for when no calls
     * come to notice it. A backlog grows by its own length per second: 50 ms keeps the reaction
     * well inside SIP's first retransmission (500 ms).
     */
    private static final long CHECK_PERIOD_MILLIS = 50;

    private final DialogRateLimiter limiter;
    private final OverloadState state;
    private final AdaptiveDialogRate adaptive;
    private volatile long lastBacklogMillis;
    // the last sample's two parts, for the log lines (written and read on the sampling thread)
    private long lastDatagramMillis;
    private long lastStreamMillis;
    /** The admitted counter at each of the last second's samples: the rate admitted over the last second. */
    private final long[] admittedWindow = new long[(int) (1000 / CHECK_PERIOD_MILLIS)];
    /** The same for the refused counter: admitted and refused, the rate offered. */
    private final long[] rejectedWindow = new long[admittedWindow.length];
    private int windowSlot;
    /** Whether the windows hold counts yet (the counters may start from a previous run's). */
    private boolean windowsFilled;
    private final LongAdder admitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final ScheduledExecutorService checker;
    private final long quietNanos;
    private volatile OverloadSettings settings;

    /** Alarm raised while new dialogs are being refused. */
    public static final String ALARM_OVERLOAD = "OVERLOAD";
    /** Its subject while new dialogs above the configured rate are refused. */
    static final String SUBJECT_RATE = "overload:dialog-rate";
    /** Its subject while new dialogs are refused because the proxy is behind. */
    static final String SUBJECT_BACKLOG = "overload:queue-delay";
    /** Name of the counters handed over to the next start of this bundle. */
    private static final String COUNTERS_STATE = "counters";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AlarmService alarms;

    /** Where the receive backlog is read; without a transport nothing is received, nothing is behind. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SipTransport transport;

    /** Set when running in a framework: where the counters are handed over to the next start. */
    private BundleContext context;

    @Activate
    public OverloadControl(BundleContext context, Map<String, Object> properties) {
        this(properties, System::nanoTime, OverloadState.DEFAULT_QUIET_NANOS, true);
        this.context = context;
        SavedState.load(context, COUNTERS_STATE).ifPresent(p -> {
            admitted.add(SavedState.longValue(p, "admitted"));
            rejected.add(SavedState.longValue(p, "rejected"));
        });
    }

    /** For tests: a controllable clock, and no background check. */
    OverloadControl(Map<String, Object> properties, LongSupplier nanoClock, long quietNanos, boolean backgroundCheck) {
        this.limiter = new DialogRateLimiter(nanoClock);
        this.quietNanos = quietNanos;
        this.state = new OverloadState(nanoClock, quietNanos, new OverloadState.Listener() {
            @Override
            public void overloadStarted() {
                OverloadControl.this.overloadStarted();
            }

            @Override
            public void overloadEnded() {
                OverloadControl.this.overloadEnded();
            }
        });
        this.adaptive = new AdaptiveDialogRate(nanoClock, new AdaptiveDialogRate.Listener() {
            @Override
            public void limitingStarted(long backlogMillis, int limitMillis, int rate) {
                OverloadControl.this.limitingStarted(backlogMillis, limitMillis, rate);
            }

            @Override
            public void limitingEnded(long backlogMillis, long peakMillis, int lowestRate) {
                OverloadControl.this.limitingEnded(backlogMillis, peakMillis, lowestRate);
            }
        });
        apply(parseOr(properties, OverloadSettings.DEFAULTS));
        if (backgroundCheck) {
            checker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sip-proxy-overload-check");
                t.setDaemon(true);
                return t;
            });
            checker.scheduleWithFixedDelay(this::check, CHECK_PERIOD_MILLIS, CHECK_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            checker = null;
        }
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(parseOr(properties, settings));
    }

    @Deactivate
    void deactivate() {
        if (checker != null) {
            checker.shutdownNow();
        }
        // Stopped, it refuses nothing: an overload alarm would stay raised with nobody to clear it.
        AlarmService a = alarms;
        if (a != null && state.overloaded()) {
            a.clear(ALARM_OVERLOAD, SUBJECT_RATE, "overload control stopped");
        }
        if (a != null && adaptive.limiting()) {
            a.clear(ALARM_OVERLOAD, SUBJECT_BACKLOG, "overload control stopped");
        }
        if (context != null) {
            Properties p = new Properties();
            p.setProperty("admitted", Long.toString(admitted.sum()));
            p.setProperty("rejected", Long.toString(rejected.sum()));
            SavedState.save(context, COUNTERS_STATE, p);
        }
    }

    private synchronized void apply(OverloadSettings s) {
        OverloadSettings old = settings;
        if (old == null || old.dialogRate() != s.dialogRate() || old.burst() != s.burst()) {
            limiter.setRate(s.dialogRate(), s.burst());
        }
        settings = s;
    }

    private static OverloadSettings parseOr(Map<String, Object> properties, OverloadSettings lastGood) {
        OverloadSettings s = LastGoodConfig.parseOrKeep(PID, properties, OverloadSettings::parse, lastGood);
        if (s != lastGood) {
            LOG.info("Overload control settings: {}", s);
        }
        return s;
    }

    // ---- AdmissionControl -----------------------------------------------------------------------

    @Override
    public boolean admitNewDialog() {
        if (!adaptive.tryAdmit()) {
            rejected.increment();
            return false;
        }
        if (limiter.tryAcquire()) {
            admitted.increment();
            state.admitted();
            return true;
        }
        rejected.increment();
        state.rejected();
        return false;
    }

    @Override
    public int retryAfterSeconds() {
        return settings.retryAfter();
    }

    // ---- AdmissionStatistics --------------------------------------------------------------------

    @Override
    public long admittedDialogs() {
        return admitted.sum();
    }

    @Override
    public long rejectedDialogs() {
        return rejected.sum();
    }

    @Override
    public boolean overloaded() {
        return state.overloaded() || adaptive.limiting();
    }

    @Override
    public boolean behind() {
        return adaptive.limiting();
    }

    @Override
    public int adaptiveRateLimit() {
        return adaptive.limiting() ? adaptive.rate() : 0;
    }

    @Override
    public long receiveBacklogMillis() {
        return lastBacklogMillis;
    }

    @Override
    public int dialogRateLimit() {
        return settings.dialogRate();
    }

    // ---- overload state -------------------------------------------------------------------------

    /** Every {@link #CHECK_PERIOD_MILLIS}: samples the receive backlog, looks for the end of a rate overload. */
    void check() {
        SipTransport t = transport;
        sampleBacklog(t == null ? 0 : t.datagramReceiveBacklogMillis(), t == null ? 0 : t.streamReceiveBacklogMillis());
        state.check();
    }

    /** One sample of how long received messages wait: over UDP, and over TCP or TLS. */
    void sampleBacklog(long datagramMillis, long streamMillis) {
        lastBacklogMillis = Math.max(datagramMillis, streamMillis);
        lastDatagramMillis = datagramMillis;
        lastStreamMillis = streamMillis;
        OverloadSettings s = settings;
        long total = admitted.sum();
        long refused = rejected.sum();
        if (!windowsFilled) {
            Arrays.fill(admittedWindow, total);
            Arrays.fill(rejectedWindow, refused);
            windowsFilled = true;
        }
        long admittedInLastSecond = total - admittedWindow[windowSlot];
        long refusedInLastSecond = refused - rejectedWindow[windowSlot];
        admittedWindow[windowSlot] = total;
        rejectedWindow[windowSlot] = refused;
        windowSlot = (windowSlot + 1) % admittedWindow.length;
        adaptive.sample(s.backlogAgainstLimit(datagramMillis, streamMillis), s.queueDelayLimit(),
                admittedInLastSecond, admittedInLastSecond + refusedInLastSecond);
    }

    /** Called once when new dialogs start being refused. The overload alarm will be raised here. */
    private void overloadStarted() {
        OverloadSettings s = settings;
        LOG.warn("Overload: new dialogs above overload-ctrl-dialog-rate {}/s (burst {}) are answered 503 with Retry-After {}",
                s.dialogRate(), s.burst(), s.retryAfter());
        AlarmService a = alarms;
        if (a != null) {
            a.raise(ALARM_OVERLOAD, ProxyEvent.Severity.MAJOR, SUBJECT_RATE,
                    "new dialogs above " + s.dialogRate() + "/s are refused with 503");
        }
    }

    /** Called once when no new dialog was refused for a while: clears the overload alarm. */
    private void overloadEnded() {
        LOG.info("Overload over: no new dialog refused for {} s; overload-ctrl-dialog-rate {}/s; {} dialogs refused so far",
                TimeUnit.NANOSECONDS.toMillis(quietNanos) / 1000.0, settings.dialogRate(), rejected.sum());
        AlarmService a = alarms;
        if (a != null) {
            a.clear(ALARM_OVERLOAD, SUBJECT_RATE, "no new dialog refused for a while");
        }
    }

    /** Called once when the proxy falls behind: raises the overload alarm for it. */
    private void limitingStarted(long backlogMillis, int limitMillis, int rate) {
        OverloadSettings s = settings;
        LOG.warn("Overload: the proxy is behind, received messages wait {} (overload-ctrl-max-queue-delay {} ms, -tcp {} ms); "
                + "new dialogs are limited to {}/s, adapted every half second to what it keeps up with, the others "
                + "answered 503 with Retry-After {}", waits(), s.maxQueueDelay(), s.maxQueueDelayTcp(), rate, s.retryAfter());
        AlarmService a = alarms;
        if (a != null) {
            a.raise(ALARM_OVERLOAD, ProxyEvent.Severity.MAJOR, SUBJECT_BACKLOG,
                    "behind: received messages wait " + waits() + ", over the limit; new dialogs are limited, the others refused with 503");
        }
    }

    private String waits() {
        return lastDatagramMillis + " ms over UDP, " + lastStreamMillis + " ms over TCP/TLS";
    }

    /** Called once when the proxy keeps up with the offered load again: clears that alarm. */
    private void limitingEnded(long backlogMillis, long peakMillis, int lowestRate) {
        String why = settings.queueDelayLimit() == 0 ? "overload-ctrl-max-queue-delay and -tcp turned off"
                : "keeping up: received messages wait " + waits();
        LOG.info("Overload over ({}); new dialogs are no longer limited (meanwhile: waits up to {} ms, a limit down to {}/s); "
                + "{} dialogs refused so far", why, peakMillis, lowestRate, rejected.sum());
        AlarmService a = alarms;
        if (a != null) {
            a.clear(ALARM_OVERLOAD, SUBJECT_BACKLOG, why);
        }
    }
}
