package dev.sipproxy.jainsip;

import gov.nist.core.StackLogger;

import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.log4j.Level;
import org.apache.log4j.Logger;

/**
 * The stack's logger ({@code gov.nist.javax.sip.STACK_LOGGER}): what JAIN-SIP reports goes to the
 * logger {@code dev.sipproxy.jainsip}, one line each, never a stack trace and never a whole SIP
 * message; the same report is written at most once a minute. Its start-up notes about TLS key
 * stores (the proxy configures TLS itself) are debug lines.
 */
public final class QuietStackLogger implements StackLogger {
    private static final Logger LOG = Logger.getLogger("dev.sipproxy.jainsip");
    private static final long PERIOD_MILLIS = 60_000;
    private static final int MAX_KEYS = 10_000;
    private static final ConcurrentHashMap<String, Long> LAST = new ConcurrentHashMap<>();

    /** How long the logger's level is taken as known: a {@code log:set} shows within this time. */
    private static final long LEVEL_REFRESH_NANOS = 1_000_000_000L;
    private static final int OFF = 0;
    private static final int WARN = 1;
    private static final int INFO = 2;
    private static final int DEBUG = 3;
    private static volatile int level = -1;
    private static volatile long levelReadAt;

    /**
     * The logger's level, read at most once a second: the stack asks before nearly everything it
     * might log, many times per message, and asking pax-logging each time showed in profiles.
     */
    private static int level() {
        long now = System.nanoTime();
        int l = level;
        if (l < 0 || now - levelReadAt > LEVEL_REFRESH_NANOS) {
            l = LOG.isDebugEnabled() ? DEBUG : LOG.isInfoEnabled() ? INFO : LOG.isEnabledFor(Level.WARN) ? WARN : OFF;
            level = l;
            levelReadAt = now;
        }
        return l;
    }

    @Override
    public boolean isLoggingEnabled() {
        return level() >= WARN;
    }

    /**
     * Only the stack's warnings and errors are wanted. Its level 16 is both TRACE_INFO and
     * TRACE_MESSAGES: enabled, the stack encodes every message it sends or receives a second time
     * for its message log (13 % of the proxy's CPU in a profile at 500 calls/s), and its debug
     * level writes several lines per message.
     */
    @Override
    public boolean isLoggingEnabled(int stackLevel) {
        return stackLevel <= TRACE_WARN && level() >= WARN;
    }

    @Override
    public void logFatalError(String message) {
        warn(message, null);
    }

    @Override
    public void logError(String message) {
        warn(message, null);
    }

    @Override
    public void logError(String message, Exception e) {
        warn(message, e);
    }

    @Override
    public void logWarning(String message) {
        if (message != null && (message.contains("tls") || message.contains("TLS") || message.contains("keystore")
                || message.contains("truststore") || message.contains("key store"))) {
            LOG.debug(firstLine(message));
            return;
        }
        warn(message, null);
    }

    @Override
    public void logInfo(String message) {
        if (level() >= DEBUG) {
            LOG.debug(firstLine(message));
        }
    }

    @Override
    public void logDebug(String message) {
        if (level() >= DEBUG) {
            LOG.debug(firstLine(message));
        }
    }

    @Override
    public void logDebug(String message, Exception e) {
        if (level() >= DEBUG) {
            LOG.debug(firstLine(message) + ": " + e);
        }
    }

    @Override
    public void logTrace(String message) {
        if (LOG.isTraceEnabled()) {
            LOG.trace(firstLine(message));
        }
    }

    @Override
    public void logException(Throwable t) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(String.valueOf(t));
        }
    }

    @Override
    public void logStackTrace() {
        // never: stack traces of the stack's internals help nobody operating the proxy
    }

    @Override
    public void logStackTrace(int level) {
        // never
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void disableLogging() {
        // levels are set in the logging configuration
    }

    @Override
    public void enableLogging() {
        // levels are set in the logging configuration
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        // not logged
    }

    @Override
    public void setStackProperties(Properties properties) {
        // nothing to read
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }

    private static void warn(String message, Throwable e) {
        String line = firstLine(message) + (e == null ? "" : ": " + firstLine(String.valueOf(e)));
        String key = line.length() > 60 ? line.substring(0, 60) : line;
        long now = System.currentTimeMillis();
        Long last = LAST.get(key);
        if (last != null && now - last < PERIOD_MILLIS) {
            return;
        }
        if (LAST.size() > MAX_KEYS) {
            LAST.clear();
        }
        LAST.put(key, now);
        LOG.warn(line);
    }

    /** The first line of a report, at most 200 characters, printable only. */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String s = nl >= 0 ? message.substring(0, nl) : message;
        s = s.replaceAll("[^\\x20-\\x7e]", "?").trim();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
