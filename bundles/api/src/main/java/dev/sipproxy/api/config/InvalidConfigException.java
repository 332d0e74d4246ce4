package dev.sipproxy.api.config;

/** A configuration value that cannot be used; the message names the key, the value and the reason. */
public final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String key, Object value, String reason) {
        super(key + " = '" + value + "': " + reason);
    }
}
