package dev.sipproxy.api.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

public class ConfigValuesTest {

    private static ConfigValues of(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new ConfigValues(m);
    }

    // ---- text ----

    @Test
    public void textFromCfgIsTrimmed() {
        ConfigValues c = of("serving-sipserver", "  pairA ");
        assertEquals(Optional.of("pairA"), c.text("serving-sipserver"));
    }

    @Test
    public void blankOrAbsentTextIsEmpty() {
        ConfigValues c = of("a", "   ", "b", "");
        assertEquals(Optional.empty(), c.text("a"));
        assertEquals(Optional.empty(), c.text("b"));
        assertEquals(Optional.empty(), c.text("missing"));
        assertEquals("dflt", c.text("a", "dflt"));
        assertEquals("dflt", c.text("missing", "dflt"));
    }

    @Test
    public void nullPropertiesMeanAllDefaults() {
        ConfigValues c = new ConfigValues(null);
        assertEquals(Optional.empty(), c.text("x"));
        assertEquals(7, c.integer("x", 7, 0, 10));
        assertTrue(c.bool("x", true));
        assertTrue(c.list("x").isEmpty());
    }

    @Test
    public void textOfAnArrayJoinsItsItems() {
        ConfigValues c = of("t", new String[] {"udp", " tcp "}, "e", new String[0]);
        assertEquals(Optional.of("udp,tcp"), c.text("t"));
        assertEquals(Optional.empty(), c.text("e"));
    }

    // ---- integer ----

    @Test
    public void integerFromCfgString() {
        assertEquals(5070, of("sip-port", " 5070 ").integer("sip-port", 5060, 1, 65535));
    }

    @Test
    public void integerFromTypedValue() {
        assertEquals(5070, of("sip-port", 5070).integer("sip-port", 5060, 1, 65535));
        assertEquals(5070, of("sip-port", 5070L).integer("sip-port", 5060, 1, 65535));
    }

    @Test
    public void absentOrBlankIntegerGetsDefault() {
        assertEquals(5060, of().integer("sip-port", 5060, 1, 65535));
        assertEquals(5060, of("sip-port", " ").integer("sip-port", 5060, 1, 65535));
    }

    @Test
    public void integerBoundsAreInclusive() {
        assertEquals(1, of("p", "1").integer("p", 5060, 1, 65535));
        assertEquals(65535, of("p", "65535").integer("p", 5060, 1, 65535));
    }

    @Test
    public void integerOutOfRangeNamesTheKey() {
        InvalidConfigException e = expectInvalid(() -> of("sip-port", "70000").integer("sip-port", 5060, 1, 65535));
        assertTrue(e.getMessage(), e.getMessage().startsWith("sip-port"));
        assertTrue(e.getMessage(), e.getMessage().contains("'70000'"));
        assertTrue(e.getMessage(), e.getMessage().contains("between 1 and 65535"));

        e = expectInvalid(() -> of("retry-after", -1).integer("retry-after", 5, 0, 3600));
        assertTrue(e.getMessage(), e.getMessage().startsWith("retry-after"));
    }

    @Test
    public void hugeNumberIsOutOfRangeNotWrappedAround() {
        // 2^32 + 5060 would wrap to 5060 if it were cast to int before the range check
        InvalidConfigException e = expectInvalid(() -> of("sip-port", "4294972356").integer("sip-port", 5060, 1, 65535));
        assertTrue(e.getMessage(), e.getMessage().contains("sip-port"));
        expectInvalid(() -> of("sip-port", 4294972356L).integer("sip-port", 5060, 1, 65535));
    }

    @Test
    public void integerThatIsNotANumberNamesTheKey() {
        InvalidConfigException e = expectInvalid(() -> of("stack-threads", "eight").integer("stack-threads", 8, 1, 256));
        assertTrue(e.getMessage(), e.getMessage().contains("stack-threads"));
        assertTrue(e.getMessage(), e.getMessage().contains("'eight'"));
        assertTrue(e.getMessage(), e.getMessage().contains("not a whole number"));
    }

    // ---- bool ----

    @Test
    public void boolFromCfgStrings() {
        for (String t : List.of("true", "TRUE", " yes ", "on", "1")) {
            assertTrue(t, of("record-route", t).bool("record-route", false));
        }
        for (String f : List.of("false", "False", "no", "off", "0")) {
            assertFalse(f, of("record-route", f).bool("record-route", true));
        }
    }

    @Test
    public void boolFromTypedValue() {
        assertFalse(of("record-route", Boolean.FALSE).bool("record-route", true));
        assertTrue(of("record-route", Boolean.TRUE).bool("record-route", false));
    }

    @Test
    public void absentBoolGetsDefault() {
        assertTrue(of().bool("record-route", true));
        assertFalse(of("record-route", "").bool("record-route", false));
    }

    @Test
    public void badBoolNamesTheKey() {
        InvalidConfigException e = expectInvalid(() -> of("record-route", "maybe").bool("record-route", true));
        assertTrue(e.getMessage(), e.getMessage().contains("record-route"));
        assertTrue(e.getMessage(), e.getMessage().contains("'maybe'"));
    }

    // ---- list ----

    @Test
    public void listFromCommaSeparatedText() {
        assertEquals(List.of("100rel", "timer", "path"), of("k", " 100rel, timer ,,  ,path ").list("k"));
    }

    @Test
    public void listFromStringArray() {
        assertEquals(List.of("udp", "tcp"), of("k", new String[] {" udp", "", "tcp ", null}).list("k"));
    }

    @Test
    public void listFromCollection() {
        assertEquals(List.of("a", "b"), of("k", List.of("a", " ", "b")).list("k"));
    }

    @Test
    public void absentListIsEmpty() {
        assertTrue(of().list("k").isEmpty());
        assertTrue(of("k", "").list("k").isEmpty());
    }

    private static InvalidConfigException expectInvalid(Runnable r) {
        try {
            r.run();
            fail("no InvalidConfigException");
            return null;
        } catch (InvalidConfigException e) {
            return e;
        }
    }
}
