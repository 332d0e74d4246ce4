package dev.sipproxy.api.state;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a component hands over to its next incarnation when its bundle is restarted or updated:
 * a properties file in the bundle's persistent data area, which survives both. It is read back only
 * within the same run of the framework (same {@code org.osgi.framework.uuid}): a restart of Karaf is
 * a fresh start, where counters begin at zero and the SIP Servers are probed anew, as operators
 * expect of a process restart.
 */
public final class SavedState {
    private static final Logger LOG = LoggerFactory.getLogger(SavedState.class);
    private static final String RUN = "saved-state.framework-uuid";
    private static final String SAVED_AT = "saved-state.saved-at";

    private SavedState() {
    }

    /** Writes {@code state} as {@code name} in the bundle's data area (atomically: a reader never sees half a file). */
    public static void save(BundleContext context, String name, Properties state) {
        File file = dataFile(context, name);
        if (file == null) {
            return;
        }
        Properties out = new Properties();
        out.putAll(state);
        out.setProperty(RUN, runId(context));
        out.setProperty(SAVED_AT, Long.toString(System.currentTimeMillis()));
        Path target = file.toPath();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream o = Files.newOutputStream(tmp)) {
            out.store(o, "sip-proxy state handed over to the next start of this bundle");
        } catch (IOException e) {
            LOG.warn("Could not save {}: {}", target, e.toString());
            return;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Could not save {}: {}", target, e.toString());
        }
    }

    /**
     * The state saved as {@code name} by an earlier start of this bundle in this run of the framework;
     * empty after a framework restart, when nothing was saved, or when the file cannot be read.
     */
    public static Optional<Properties> load(BundleContext context, String name) {
        File file = dataFile(context, name);
        if (file == null || !file.isFile()) {
            return Optional.empty();
        }
        Properties in = new Properties();
        try (InputStream i = Files.newInputStream(file.toPath())) {
            in.load(i);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Could not read {}: {}; starting afresh", file, e.toString());
            return Optional.empty();
        }
        if (!runId(context).equals(in.getProperty(RUN))) {
            return Optional.empty();
        }
        in.remove(RUN);
        in.remove(SAVED_AT);
        return Optional.of(in);
    }

    /** A saved count; 0 when it is missing or unreadable. */
    public static long longValue(Properties state, String key) {
        try {
            return Long.parseLong(state.getProperty(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static File dataFile(BundleContext context, String name) {
        File f = context.getDataFile(name + ".properties");
        if (f == null) {
            LOG.debug("No persistent storage for {}", name);
        }
        return f;
    }

    private static String runId(BundleContext context) {
        String uuid = context.getProperty("org.osgi.framework.uuid");
        return uuid == null ? "" : uuid;
    }
}
