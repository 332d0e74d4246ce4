package dev.sipproxy.health.internal;

import dev.sipproxy.api.EventLog;
import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.ProxyEvent;
import dev.sipproxy.api.ServerPair;
import dev.sipproxy.api.SipTransportType;
import dev.sipproxy.api.config.ConfigValues;
import dev.sipproxy.api.config.InvalidConfigException;

import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One factory configuration of {@code dev.sipproxy.sipserver}: a pair as configured. The
 * {@link PairRegistry} picks these up. A bad update is refused with event 40003 and the pair keeps
 * its last good definition; a pair whose very first configuration is bad stays undefined (and gets
 * no calls) until a good one arrives.
 */
@Component(service = PairDefinition.class, configurationPid = PairDefinition.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SipServerConfig.class, factory = true)
public class PairDefinition {
    static final String FACTORY_PID = "dev.sipproxy.sipserver";

    private volatile ServerPair current;

    @Activate
    public PairDefinition(Map<String, Object> properties) {
        try {
            current = parse(new ConfigValues(properties));
        } catch (InvalidConfigException e) {
            EventLog.log(ProxyEvent.SPR_ERROR_READING_CONFIG_DATA, "{} {} refused: {}; the pair is not defined",
                    FACTORY_PID, properties.get("service.pid"), e.getMessage());
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        try {
            current = parse(new ConfigValues(properties));
        } catch (InvalidConfigException e) {
            EventLog.log(ProxyEvent.SPR_ERROR_READING_CONFIG_DATA,
                    "{} {} refused: {}; the pair keeps its last good configuration",
                    FACTORY_PID, properties.get("service.pid"), e.getMessage());
        }
    }

    /** The last good definition, or null if there never was one. */
    ServerPair current() {
        return current;
    }

    static ServerPair parse(ConfigValues c) {
        String name = c.text("name").orElseThrow(() -> new InvalidConfigException("name", "", "a pair needs a name"));
        HostPort primary = hostPort(c, "primary").orElseThrow(
                () -> new InvalidConfigException("primary", "", "a pair needs a primary host:port"));
        Optional<HostPort> backup = hostPort(c, "backup");
        SipTransportType transport;
        try {
            transport = SipTransportType.parse(c.text("transport", "udp"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("transport", c.text("transport", ""), e.getMessage());
        }
        return new ServerPair(name, primary, backup, transport);
    }

    private static Optional<HostPort> hostPort(ConfigValues c, String key) {
        Optional<String> text = c.text(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(HostPort.parse(text.get(), 5060));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key, text.get(), e.getMessage());
        }
    }
}
