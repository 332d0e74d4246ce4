package dev.sipproxy.transport.internal;

import dev.sipproxy.api.config.LastGoodConfig;
import dev.sipproxy.api.transport.SipMessageHandler;
import dev.sipproxy.api.transport.SipTransport;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Owns the SIP stack. Registers {@link SipTransport} while it listens; a configuration change that
 * moves the listening points restarts the stack, any other update leaves it untouched. A bad value is
 * refused (event 40003) and the stack keeps running on the last good settings.
 */
@Component(configurationPid = TransportComponent.PID, immediate = true, service = {})
@Designate(ocd = TransportConfig.class)
public class TransportComponent {
    static final String PID = "dev.sipproxy.transport";

    private final BundleContext context;
    private final HandlerDispatcher dispatcher = new HandlerDispatcher();

    private TransportSettings settings;
    private RunningStack running;
    private ServiceRegistration<SipTransport> registration;

    @Activate
    public TransportComponent(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        this.settings = parseOr(properties, TransportSettings.DEFAULTS);
        start();
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        TransportSettings next = parseOr(properties, settings);
        if (next.equals(settings)) {
            return;
        }
        settings = next;
        stop();
        start();
    }

    @Deactivate
    synchronized void deactivate() {
        dispatcher.close();
        stop();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHandler(SipMessageHandler h) {
        dispatcher.setHandler(h);
    }

    void unbindHandler(SipMessageHandler h) {
        dispatcher.removeHandler(h);
    }

    private static TransportSettings parseOr(Map<String, Object> properties, TransportSettings lastGood) {
        return LastGoodConfig.parseOrKeep(PID, properties, TransportSettings::parse, lastGood);
    }

    private synchronized void start() {
        running = RunningStack.start(settings, dispatcher);
        if (running != null) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("sip.listening.points", running.listeningPoints().toString());
            registration = context.registerService(SipTransport.class, running, props);
        }
    }

    private synchronized void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
            registration = null;
        }
        if (running != null) {
            running.stop();
            running = null;
        }
    }
}
