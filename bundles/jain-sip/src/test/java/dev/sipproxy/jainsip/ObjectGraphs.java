package dev.sipproxy.jainsip;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Field-by-field comparison of two object graphs, private fields included: the stack's headers
 * override equals() with SIP's comparison rules (case-insensitive, parameters ignored), which would
 * hide a header parsed differently.
 */
final class ObjectGraphs {
    private ObjectGraphs() {
    }

    /** The path to the first difference, or null when the graphs are alike. */
    static String difference(Object a, Object b) {
        return difference(a, b, "", new IdentityHashMap<>());
    }

    private static String difference(Object a, Object b, String path, IdentityHashMap<Object, Object> seen) {
        if (a == b) {
            return null;
        }
        if (a == null || b == null || a.getClass() != b.getClass()) {
            return path + ": " + a + " / " + b;
        }
        Class<?> c = a.getClass();
        boolean container = c.isArray() || a instanceof Map || a instanceof Collection;
        if (!container && c.getName().startsWith("java.")) {
            return a.equals(b) ? null : path + ": " + a + " / " + b;
        }
        if (seen.put(a, b) != null) {
            return null; // met before: compared there
        }
        if (c.isArray()) {
            if (Array.getLength(a) != Array.getLength(b)) {
                return path + ": array lengths";
            }
            for (int i = 0; i < Array.getLength(a); i++) {
                String d = difference(Array.get(a, i), Array.get(b, i), path + "[" + i + "]", seen);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof Map<?, ?> ma) {
            Map<?, ?> mb = (Map<?, ?>) b;
            if (!ma.keySet().equals(mb.keySet())) {
                return path + ": keys " + ma.keySet() + " / " + mb.keySet();
            }
            for (Object key : ma.keySet()) {
                String d = difference(ma.get(key), mb.get(key), path + "{" + key + "}", seen);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof Collection<?> ca) {
            Collection<?> cb = (Collection<?>) b;
            if (ca.size() != cb.size()) {
                return path + ": sizes " + ca.size() + " / " + cb.size();
            }
            Iterator<?> ib = cb.iterator();
            int i = 0;
            for (Object ea : ca) {
                String d = difference(ea, ib.next(), path + "[" + i++ + "]", seen);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        for (Field f : fields(c)) {
            f.setAccessible(true);
            try {
                String d = difference(f.get(a), f.get(b), path + "." + f.getName(), seen);
                if (d != null) {
                    return d;
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return null;
    }

    private static List<Field> fields(Class<?> c) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    fields.add(f);
                }
            }
        }
        return fields;
    }
}
