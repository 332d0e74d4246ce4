package dev.sipproxy.overload.internal;

import dev.sipproxy.api.AdmissionControl;
import dev.sipproxy.api.AdmissionStatistics;
import dev.sipproxy.api.AlarmService;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.config.LastGoodConfig;
import dev.sipproxy.api.state.SavedState;

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
 * per second (smoothly, see {@link DialogRateLimiter}), counts them and tells when the proxy is
 * overloaded. A configuration change applies to the next call.
 */
@Component(service = {AdmissionControl.class, AdmissionStatistics.class}, configurationPid = OverloadControl.PID, immediate = true)
@Designate(ocd = OverloadConfig.class)
public class OverloadControl implements AdmissionControl, AdmissionStatistics {
    static final String PID = "dev.sipproxy.overload";
    private static final Logger LOG = LoggerFactory.getLogger(OverloadControl.class);
    /** How often the end of an overload is looked for when no calls come to notice it. */
    private static final long CHECK_PERIOD_MILLIS = 500;

    private final DialogRateLimiter limiter;
    private final OverloadState state;
    private final LongAdder admitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final ScheduledExecutorService checker;
    private final long quietNanos;
    private volatile OverloadSettings settings;

    /** Alarm raised while new dialogs are being refused. */
    public static final String ALARM_OVERLOAD = "OVERLOAD";
    /** Name of the counters handed over to the next start of this bundle. */
    private static final String COUNTERS_STATE = "counters";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AlarmService alarms;

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
        apply(parseOr(properties, OverloadSettings.DEFAULTS));
        if (backgroundCheck) {
            checker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sip-proxy-overload-check");
                t.setDaemon(true);
                return t;
            });
            checker.scheduleWithFixedDelay(this::checkOverloadEnd, CHECK_PERIOD_MILLIS, CHECK_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
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
        if (state.overloaded()) {
            AlarmService a = alarms;
            if (a != null) {
                a.clear(ALARM_OVERLOAD, "overload:dialog-rate", "overload control stopped");
            }
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
        return state.overloaded();
    }

    @Override
    public int dialogRateLimit() {
        return settings.dialogRate();
    }

    // ---- overload state -------------------------------------------------------------------------

    void checkOverloadEnd() {
        state.check();
    }

    /** Called once when new dialogs start being refused. The overload alarm will be raised here. */
    private void overloadStarted() {
        OverloadSettings s = settings;
        LOG.warn("Overload: new dialogs above overload-ctrl-dialog-rate {}/s (burst {}) are answered 503 with Retry-After {}",
                s.dialogRate(), s.burst(), s.retryAfter());
        AlarmService a = alarms;
        if (a != null) {
            a.raise(ALARM_OVERLOAD, dev.sipproxy.api.ProxyEvent.Severity.MAJOR, "overload:dialog-rate",
                    "new dialogs above " + s.dialogRate() + "/s are refused with 503");
        }
    }

    /** Called once when no new dialog was refused for a while: clears the overload alarm. */
    private void overloadEnded() {
        LOG.info("Overload over: no new dialog refused for {} s; overload-ctrl-dialog-rate {}/s; {} dialogs refused so far",
                TimeUnit.NANOSECONDS.toMillis(quietNanos) / 1000.0, settings.dialogRate(), rejected.sum());
        AlarmService a = alarms;
        if (a != null) {
            a.clear(ALARM_OVERLOAD, "overload:dialog-rate", "no new dialog refused for a while");
        }
    }
}
