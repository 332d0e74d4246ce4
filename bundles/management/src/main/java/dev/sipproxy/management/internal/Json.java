package dev.sipproxy.management.internal;

import java.util.Collection;
import java.util.Map;

/**
 * A very small streaming JSON writer: objects, arrays, strings, numbers, booleans and null. It
 * inserts the commas itself; the caller only has to open and close in the right order.
 *
 * <pre>
 * new Json().object().field("name", "default").name("members").array().value(1).end().end().toString()
 * </pre>
 */
public final class Json {
    private final StringBuilder out = new StringBuilder(256);
    /** Per open container: true once it holds at least one element. */
    private boolean[] nonEmpty = new boolean[16];
    /** Per open container: '{' or '['. */
    private char[] openers = new char[16];
    private int depth;
    /** True right after {@link #name(String)}: the next value needs no comma. */
    private boolean afterName;

    public Json object() {
        beforeValue();
        out.append('{');
        push('{');
        return this;
    }

    public Json array() {
        beforeValue();
        out.append('[');
        push('[');
        return this;
    }

    /** Closes the innermost object or array. */
    public Json end() {
        if (depth == 0) {
            throw new IllegalStateException("nothing open");
        }
        afterName = false;
        depth--;
        out.append(openers[depth] == '{' ? '}' : ']');
        return this;
    }

    /** The name of the next member of the current object. */
    public Json name(String name) {
        beforeValue();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    public Json value(String s) {
        beforeValue();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    public Json value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    public Json value(double d) {
        beforeValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else {
            out.append(d);
        }
        return this;
    }

    public Json value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    public Json nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /** Any of: null, String, Number, Boolean, Map (an object), Collection or Object[] (an array); others as their text. */
    public Json any(Object v) {
        if (v == null) {
            return nullValue();
        }
        if (v instanceof Boolean b) {
            return value(b.booleanValue());
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return value(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return value(n.doubleValue());
        }
        if (v instanceof Map<?, ?> m) {
            object();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                name(String.valueOf(e.getKey())).any(e.getValue());
            }
            return end();
        }
        if (v instanceof Collection<?> c) {
            array();
            for (Object o : c) {
                any(o);
            }
            return end();
        }
        if (v instanceof Object[] a) {
            array();
            for (Object o : a) {
                any(o);
            }
            return end();
        }
        if (v.getClass().isArray()) { // primitive arrays
            array();
            int n = java.lang.reflect.Array.getLength(v);
            for (int i = 0; i < n; i++) {
                any(java.lang.reflect.Array.get(v, i));
            }
            return end();
        }
        return value(v.toString());
    }

    /** A value that is already JSON text (from another {@link Json}). */
    public Json raw(String json) {
        beforeValue();
        out.append(json);
        return this;
    }

    /** A member whose value is null. */
    public Json nullValue(String name) {
        return name(name).nullValue();
    }

    public Json field(String name, String value) {
        return name(name).value(value);
    }

    public Json field(String name, long value) {
        return name(name).value(value);
    }

    public Json field(String name, boolean value) {
        return name(name).value(value);
    }

    public Json field(String name, Object value) {
        return name(name).any(value);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void push(char opener) {
        if (depth == nonEmpty.length) {
            nonEmpty = java.util.Arrays.copyOf(nonEmpty, depth * 2);
            openers = java.util.Arrays.copyOf(openers, depth * 2);
        }
        openers[depth] = opener;
        nonEmpty[depth++] = false;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (nonEmpty[depth - 1]) {
                out.append(',');
            }
            nonEmpty[depth - 1] = true;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == '<') {
                        // '<' escaped too, so a value can never close a <script> when embedded in HTML
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
