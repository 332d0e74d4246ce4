package dev.sipproxy.jainsip.net;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class DatagramSocketKindTest {
    @Test
    public void legacyWhenAskedForOnJdk17() {
        for (String asked : new String[] {"true", "TRUE", ""}) {
            assertTrue(DatagramSocketKind.describe(17, asked).startsWith("legacy"));
            assertTrue(DatagramSocketKind.sendsConcurrently(17, asked));
        }
    }

    @Test
    public void channelBasedOtherwise() {
        assertTrue(DatagramSocketKind.describe(17, null).startsWith("channel-based"));
        assertTrue(DatagramSocketKind.describe(17, "false").startsWith("channel-based"));
        assertFalse(DatagramSocketKind.sendsConcurrently(17, "false"));
        assertTrue(DatagramSocketKind.describe(21, "true").contains("ignored"));
        assertFalse(DatagramSocketKind.sendsConcurrently(21, "true"));
    }

    @Test
    public void legacyBeforeJdk15Anyway() {
        assertTrue(DatagramSocketKind.describe(11, null).startsWith("legacy"));
        assertTrue(DatagramSocketKind.sendsConcurrently(11, null));
    }
}
