package dev.sipproxy.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes catalogue events through the normal Karaf logging. Each line starts with
 * {@code [40003 SPR_ERROR_READING_CONFIG_DATA]} so that it can be found by id or by name.
 * Faults go out at ERROR or WARN, INFO events at INFO, all under the logger {@code dev.sipproxy.events}
 * as well as nowhere else, so an operator can route them to their own appender.
 */
public final class EventLog {
    /** The logger every catalogue event is written to. */
    public static final String LOGGER_NAME = "dev.sipproxy.events";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private EventLog() {
    }

    /** Logs {@code event} with an SLF4J-style message ({@code {}} placeholders). */
    public static void log(ProxyEvent event, String message, Object... args) {
        String line = "[" + event.id() + " " + event.name() + "] " + message;
        switch (event.severity()) {
            case CRITICAL -> LOG.error(line, args);
            case MAJOR, MINOR -> LOG.warn(line, args);
            default -> LOG.info(line, args);
        }
    }
}
