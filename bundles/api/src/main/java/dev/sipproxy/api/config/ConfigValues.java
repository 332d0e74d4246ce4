package dev.sipproxy.api.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads typed values out of Config Admin properties. Values may arrive as strings (from
 * {@code etc/*.cfg} files) or as typed objects (from the console or code); both are accepted.
 * Anything that does not parse throws {@link InvalidConfigException} naming the key, so a
 * component can refuse the whole update (event 40003) and keep its last good configuration.
 */
public final class ConfigValues {
    private final Map<String, ?> properties;

    public ConfigValues(Map<String, ?> properties) {
        this.properties = properties == null ? Map.of() : properties;
    }

    /** The value as trimmed text, or empty when absent or blank. */
    public Optional<String> text(String key) {
        Object v = properties.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.getClass().isArray() || v instanceof Collection) {
            List<String> l = list(key);
            return l.isEmpty() ? Optional.empty() : Optional.of(String.join(",", l));
        }
        String s = v.toString().trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    public String text(String key, String defaultValue) {
        return text(key).orElse(defaultValue);
    }

    /** An integer within {@code [min, max]}. */
    public int integer(String key, int defaultValue, int min, int max) {
        Object v = properties.get(key);
        if (v == null || v.toString().isBlank()) {
            return defaultValue;
        }
        long n;
        if (v instanceof Number num) {
            n = num.longValue();
        } else {
            try {
                n = Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new InvalidConfigException(key, v, "not a whole number");
            }
        }
        if (n < min || n > max) {
            throw new InvalidConfigException(key, v, "must be between " + min + " and " + max);
        }
        return (int) n;
    }

    public boolean bool(String key, boolean defaultValue) {
        Object v = properties.get(key);
        if (v == null || v.toString().isBlank()) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw new InvalidConfigException(key, v, "not true or false");
        }
    }

    /** A list: a String[] or collection, or one string of comma-separated items. Blank items are skipped. */
    public List<String> list(String key) {
        Object v = properties.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        Collection<?> items;
        if (v instanceof Collection<?> c) {
            items = c;
        } else if (v instanceof Object[] a) {
            items = Arrays.asList(a);
        } else {
            items = Arrays.asList(v.toString().split(","));
        }
        for (Object item : items) {
            if (item != null && !item.toString().isBlank()) {
                out.add(item.toString().trim());
            }
        }
        return out;
    }
}
