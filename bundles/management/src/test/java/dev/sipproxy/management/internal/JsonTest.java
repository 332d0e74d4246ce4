package dev.sipproxy.management.internal;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class JsonTest {

    @Test
    public void nestedObjectsAndArraysGetTheirCommas() {
        String s = new Json().object().field("a", 1).name("b").array().value("x").value(true).nullValue()
                .object().end().array().end().end().field("c", "d").end().toString();
        assertEquals("{\"a\":1,\"b\":[\"x\",true,null,{},[]],\"c\":\"d\"}", s);
    }

    @Test
    public void stringsAreEscaped() {
        assertEquals("\"q\\\"b\\\\n\\n\\u0001\\u003c/script>\"", new Json().value("q\"b\\n\n\u0001</script>").toString());
    }

    @Test
    public void mapsListsAndRawValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", 2L);
        m.put("l", List.of(1, "two"));
        m.put("arr", new String[] {"a"});
        m.put("d", 1.5);
        String s = new Json().object().field("m", m).name("r").raw("{\"x\":1}").end().toString();
        assertEquals("{\"m\":{\"n\":2,\"l\":[1,\"two\"],\"arr\":[\"a\"],\"d\":1.5},\"r\":{\"x\":1}}", s);
    }

    @Test
    public void prometheusLabelValuesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\n", Prometheus.escape("a\"b\\c\n"));
    }

    @Test
    public void prometheusWithoutServicesStillNamesEveryFamily() {
        String text = Prometheus.render(null, null, null, null);
        for (String name : List.of("sip_proxy_requests_received_total", "sip_proxy_responses_sent_total",
                "sip_proxy_calls_in_progress", "sip_proxy_dialogs_admitted_total", "sip_proxy_dialogs_rejected_total",
                "sip_proxy_pair_in_service", "sip_proxy_member_up", "sip_proxy_alarms_active")) {
            org.junit.Assert.assertTrue(name, text.contains("# TYPE " + name + " "));
        }
    }
}
