package dev.sipproxy.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * Keeps the benchmark harness from rotting: runs {@code bench/run --quick --proxy-only} (50 calls per
 * second for 5 s through the distribution built by this reactor, on free loopback ports) and checks
 * that it completed every call and printed its result line. Not a performance test: no rate is
 * asserted. A plain JUnit test (no Pax Exam): bench/run starts and stops the distribution itself.
 */
public class BenchHarnessIT {

    @Test
    public void quickBenchmarkRunsAndReports() throws IOException, InterruptedException {
        Path module = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path run = module.getParent().resolve("bench").resolve("run");
        assertTrue("no benchmark script at " + run, Files.isExecutable(run));
        String distribution = System.getProperty("karaf.distribution");
        assertNotNull("system property karaf.distribution (the distribution tar.gz) is not set", distribution);

        Path log = module.resolve("target").resolve("bench-quick.log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(run.toString(), "--quick", "--proxy-only", "--assembly", distribution)
                .directory(module.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroy(); // bench/run stops what it started on SIGTERM
            p.waitFor(60, TimeUnit.SECONDS);
            p.destroyForcibly();
            throw new AssertionError("bench/run --quick still running after 5 minutes\n" + tail(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals("bench/run --quick exit code\n" + tail(log), 0, p.exitValue());
        assertTrue("no result line\n" + tail(log),
                out.contains("RESULT udp sip-proxy: highest clean rate 50 cps"));
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
