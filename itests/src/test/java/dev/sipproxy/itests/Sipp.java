package dev.sipproxy.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@code sipp} process driven by a scenario file of this module. Every run is bounded
 * ({@code -timeout}), writes its statistics every second to a CSV file that {@link #stats()} reads,
 * and is killed by {@link #close()}.
 */
public final class Sipp implements AutoCloseable {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final String name;
    private final Process process;
    private final Path statFile;
    private final Path errorFile;
    private final Path outFile;

    private Sipp(String name, Process process, Path statFile, Path errorFile, Path outFile) {
        this.name = name;
        this.process = process;
        this.statFile = statFile;
        this.errorFile = errorFile;
        this.outFile = outFile;
    }

    public static Builder uac(String scenario) {
        return new Builder(scenario);
    }

    /** A UAS; with {@code -aa} it also answers the proxy's OPTIONS probes, as a SIP Server does. */
    public static Builder uas(String scenario) {
        return new Builder(scenario).arg("-aa");
    }

    /** Call counters from sipp's statistics file. */
    public record Stats(long successful, long failed, long created, long retransmissions) {
    }

    public static final class Builder {
        private final String scenario;
        private final List<String> args = new ArrayList<>();
        private String remote;
        private boolean targetSet;
        private boolean localPortSet;
        private int localPort;
        private boolean tcp;
        private boolean callLengthSet;
        private int timeoutSeconds = 60;

        Builder(String scenario) {
            this.scenario = scenario;
        }

        /** The proxy (for a UAC): {@code 127.0.0.1:port}. */
        public Builder remote(int port) {
            this.remote = "127.0.0.1:" + port;
            return this;
        }

        /** The Request-URI host:port; by default the proxy given to {@link #remote(int)}. */
        public Builder target(String hostPort) {
            targetSet = true;
            return arg("-key", "target", hostPort);
        }

        public Builder localPort(int port) {
            localPortSet = true;
            localPort = port;
            return arg("-p", Integer.toString(port));
        }

        /** TCP; a UAS accepts a connection per peer ({@code tn}), a UAC uses one socket ({@code t1}). */
        public Builder tcp() {
            tcp = true;
            return arg("-t", remote == null ? "tn" : "t1", "-max_socket", "1000");
        }

        public Builder calls(int n) {
            return arg("-m", Integer.toString(n));
        }

        public Builder rate(int callsPerSecond) {
            return arg("-r", Integer.toString(callsPerSecond));
        }

        /** Time between ACK and BYE; 100 ms by default, as no real caller hangs up within microseconds. */
        public Builder callLengthMs(int ms) {
            callLengthSet = true;
            return arg("-d", Integer.toString(ms));
        }

        public Builder service(String user) {
            return arg("-s", user);
        }

        public Builder key(String key, String value) {
            return arg("-key", key, value);
        }

        public Builder timeoutSeconds(int seconds) {
            this.timeoutSeconds = seconds;
            return this;
        }

        public Builder arg(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        public Sipp start() throws IOException {
            Path dir = Paths.get(System.getProperty("itest.workdir", "target/sipp"));
            Files.createDirectories(dir);
            String name = scenario.replace(".xml", "") + "-" + RUNS.incrementAndGet();
            Path stat = dir.resolve(name + ".csv");
            Path err = dir.resolve(name + "-errors.log");
            Path out = dir.resolve(name + ".out");
            // The folder outlives the run: an earlier build's files of the same name must not be read as this run's
            Files.deleteIfExists(stat);
            Files.deleteIfExists(err);
            Files.deleteIfExists(out);
            List<String> cmd = new ArrayList<>(List.of("sipp", "-sf",
                    Paths.get(System.getProperty("sipp.scenarios"), scenario).toString()));
            if (remote != null) {
                cmd.add(remote);
                if (!targetSet) {
                    cmd.addAll(List.of("-key", "target", remote));
                }
            }
            if (remote != null && !callLengthSet) {
                cmd.addAll(List.of("-d", "100"));
            }
            if (!localPortSet) {
                // sipp's default local port is 5060: never let two runs, or a run and a proxy, collide
                cmd.addAll(List.of("-p", Integer.toString(freePort())));
            }
            cmd.addAll(List.of("-i", "127.0.0.1", "-nostdin", "-timeout", timeoutSeconds + "s",
                    "-trace_stat", "-stf", stat.toString(), "-fd", "1",
                    "-trace_err", "-error_file", err.toString()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (remote == null && localPortSet) {
                // A callee must be listening before the proxy sends it anything: over TCP an INVITE
                // that finds no listener is a transport error at once (no retransmission saves it).
                awaitListening(p, localPort, tcp, Duration.ofSeconds(5));
            }
            return new Sipp(name, p, stat, err, out);
        }
    }

    /** Waits until the port is bound (UDP) or listening (TCP), per the kernel's socket tables, or sipp ended. */
    private static void awaitListening(Process p, int port, boolean tcp, Duration deadline) throws IOException {
        String hexPort = String.format(":%04X", port);
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end && p.isAlive()) {
            for (String table : tcp ? List.of("/proc/net/tcp", "/proc/net/tcp6") : List.of("/proc/net/udp", "/proc/net/udp6")) {
                Path t = Paths.get(table);
                if (!Files.isReadable(t)) {
                    continue;
                }
                for (String line : Files.readAllLines(t, StandardCharsets.US_ASCII)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(hexPort) && (!tcp || "0A".equals(f[3]))) {
                        return;
                    }
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static int freePort() throws IOException {
        try (java.net.DatagramSocket udp = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return udp.getLocalPort();
        }
    }

    /** Sends a signal (STOP, CONT, KILL, ...) to the sipp process. */
    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Waits for sipp to end by itself; returns its exit code (0: every call succeeded). */
    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + deadline + "\n" + diagnostics());
        }
        return process.exitValue();
    }

    /** True while sipp runs. */
    public boolean running() {
        return process.isAlive();
    }

    /** Waits until the statistics show {@code successful} completed calls. */
    public Stats awaitSuccessful(long successful, Duration deadline) throws InterruptedException, IOException {
        long end = System.nanoTime() + deadline.toNanos();
        Stats s = stats();
        while (s.successful() < successful && System.nanoTime() < end) {
            Thread.sleep(200);
            s = stats();
        }
        return s;
    }

    /** Calls sipp has started so far; 0 before its first statistics line (for waits on a condition). */
    public long callsCreated() {
        try {
            return stats().created();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last statistics line sipp wrote (every second, and at exit). */
    public Stats stats() throws IOException {
        if (!Files.exists(statFile)) {
            return new Stats(0, 0, 0, 0);
        }
        List<String> lines = Files.readAllLines(statFile, StandardCharsets.ISO_8859_1);
        if (lines.size() < 2) {
            return new Stats(0, 0, 0, 0);
        }
        List<String> header = List.of(lines.get(0).split(";"));
        String[] last = lines.get(lines.size() - 1).split(";");
        return new Stats(column(header, last, "SuccessfulCall(C)"), column(header, last, "FailedCall(C)"),
                column(header, last, "TotalCallCreated"),
                column(header, last, "Retransmissions(C)"));
    }

    private static long column(List<String> header, String[] row, String name) {
        int i = header.indexOf(name);
        if (i < 0 || i >= row.length) {
            return -1;
        }
        try {
            return Long.parseLong(row[i].trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** sipp's error log and the end of its screen, for assertion messages. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder("--- ").append(name).append(" ---\n");
        try {
            if (Files.exists(errorFile)) {
                List<String> errors = Files.readAllLines(errorFile, StandardCharsets.ISO_8859_1);
                errors.stream().limit(30).forEach(l -> b.append(l).append('\n'));
            }
            if (Files.exists(outFile)) {
                List<String> out = Files.readAllLines(outFile, StandardCharsets.ISO_8859_1);
                out.subList(Math.max(0, out.size() - 25), out.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException e) {
            b.append(e);
        }
        return b.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        }
    }
}
