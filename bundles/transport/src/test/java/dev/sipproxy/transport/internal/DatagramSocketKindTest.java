package dev.sipproxy.transport.internal;

import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class DatagramSocketKindTest {
    @Test
    public void legacyWhenAskedForOnJdk17() {
        assertTrue(DatagramSocketKind.describe(17, "true").startsWith("legacy"));
        assertTrue(DatagramSocketKind.describe(17, "TRUE").startsWith("legacy"));
        assertTrue(DatagramSocketKind.describe(17, "").startsWith("legacy"));
    }

    @Test
    public void channelBasedOtherwise() {
        assertTrue(DatagramSocketKind.describe(17, null).startsWith("channel-based"));
        assertTrue(DatagramSocketKind.describe(17, "false").startsWith("channel-based"));
        assertTrue(DatagramSocketKind.describe(21, "true").contains("ignored"));
    }

    @Test
    public void legacyBeforeJdk15Anyway() {
        assertTrue(DatagramSocketKind.describe(11, null).startsWith("legacy"));
    }
}
