package dev.sipproxy.routing.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.Test;

public class IdentifiersTest {

    @Test
    public void branchesAreUniqueAndCarryTheMagicCookie() {
        Identifiers ids = new Identifiers();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String b = ids.newBranch();
            assertTrue(b, b.startsWith("z9hG4bK"));
            assertTrue("duplicate " + b, seen.add(b));
        }
    }

    @Test
    public void tagsAreUniqueAndAreNotBranches() {
        Identifiers ids = new Identifiers();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String t = ids.newTag();
            assertFalse(t, t.startsWith("z9hG4bK"));
            assertTrue("duplicate " + t, seen.add(t));
        }
    }

    @Test
    public void twoInstancesDoNotRepeatEachOther() {
        // a restarted proxy must not reuse the branches of its previous run
        Identifiers before = new Identifiers();
        Identifiers after = new Identifiers();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(before.newBranch());
            seen.add(after.newBranch());
        }
        assertEquals(200, seen.size());
    }

    @Test
    public void branchesAreValidSipTokens() {
        String b = new Identifiers().newBranch();
        assertTrue(b, b.matches("[A-Za-z0-9.!%*_+`'~-]+"));
    }

    @Test
    public void refusalTagsAreKnownByTheInstanceThatMadeThemOnly() {
        Identifiers ids = new Identifiers();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String r = ids.newRefusalTag();
            assertTrue(r, ids.isRefusalTag(r));
            assertTrue("duplicate " + r, seen.add(r));
            assertFalse("an ordinary tag is not a refusal's: " + r, ids.isRefusalTag(ids.newTag()));
        }
        assertTrue(ids.newRefusalTag().matches("[A-Za-z0-9.!%*_+`'~-]+"));
        assertFalse("another start of the proxy", new Identifiers().isRefusalTag(ids.newRefusalTag()));
        assertFalse(ids.isRefusalTag(null));
        assertFalse("an endpoint's tag", ids.isRefusalTag("1234SIPpTag01"));
    }
}
