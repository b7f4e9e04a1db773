package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.MemoryUsage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.BenchmarkFeed;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.RecordedRequest;
import org.o365audit.simulator.SimulatedTenant;
import org.o365audit.simulator.TestTls;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The collector end to end against what PostgreSQL itself can ingest, in one run on one machine (issue 12,
 * BENCHMARKS.md). The built-in simulator serves N distinct realistic records (-Dbench.records, default 1,000,000)
 * over local HTTPS, with the API's duplicates; the packaged collector (its real routes and configuration, the demo's
 * archive sink off) runs as a child process from an empty store and collects them:
 * <ol>
 *   <li>many small blobs (10-50 records, listing pages of 200) into PostgreSQL; then its idle CPU over a minute
 *   (-Dbench.idle-seconds) with nothing left to collect;</li>
 *   <li>the baseline: {@code COPY} of the very rows it stored into a table of the same shape (LIKE ... INCLUDING ALL:
 *   jsonb, the same unique key and indexes);</li>
 *   <li>the same feed into the embedded H2 (the default store);</li>
 *   <li>the same number of records in a few huge blobs (-Dbench.huge-blobs, default 1: about 1 GB) with -Xmx256m, and
 *   its own COPY baseline.</li>
 * </ol>
 * Prints records/s, the ratio to COPY, CPU per 1,000 records, peak heap and the time from start to the first stored
 * record (also target/collector-benchmark/report.txt), and each sink's rate from SinkThroughputBenchmark's run
 * against the collection rate when that ran first. -Dbench.jfr=true records a Flight Recording of each collector.
 * Asserts only that every record was stored exactly once, never how fast: {@code mvn -B verify -Pbenchmark}.
 */
@Tag("benchmark")
class CollectorBenchmark {
    static final long RECORDS = Long.getLong("bench.records", 1_000_000);
    static final int IDLE_SECONDS = Integer.getInteger("bench.idle-seconds", 60);
    static final int HUGE_BLOBS = Integer.getInteger("bench.huge-blobs", 1);
    static final boolean JFR = Boolean.getBoolean("bench.jfr");
    /** Which runs (all by default): small on PostgreSQL (with its COPY baseline and idle CPU), small on H2, huge. */
    static final List<String> RUNS = List.of(System.getProperty("bench.runs", "pg-small,h2-small,pg-huge").split(","));
    static final Path OUT = Path.of("target", "collector-benchmark");
    static final String PASSWORD = "bench-" + UUID.randomUUID();

    /** One collector run's figures. */
    record Run(String name, long records, double seconds, double startToFirst, double cpuMsPer1000, long peakHeapMb,
               Double idleCpuPercent, double sourceCpuMsPer1000, double databaseCpuMsPer1000) {
        double rate() {
            return records / seconds;
        }
    }

    @Test
    void measuresTheCollectorAgainstCopy() throws Exception {
        Files.createDirectories(OUT);
        List<String> notes = new ArrayList<>();
        Map<String, Run> runs = new LinkedHashMap<>();
        Map<String, Double> copies = new LinkedHashMap<>();
        try (ManagementApiSimulator microsoft = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST)) {
            // 1. many small blobs, PostgreSQL, then idle
            SimulatedTenant small = tenant(microsoft);
            BenchmarkFeed.Shape shape = BenchmarkFeed.smallBlobs(small, RECORDS, 10, 50, Instant.now());
            notes.add(String.format(Locale.ROOT, "small blobs: %,d distinct records served as %,d (duplicates by design) in "
                    + "%,d blobs of 10-50 records over 7 days, 5 content types, listing pages of 200",
                    shape.distinctRecords(), shape.servedRecords(), shape.blobs()));
            Run pg = collect("PostgreSQL, many small blobs", microsoft, small, List.of(), postgres("o365_bench_small"),
                    List.of(), shape.distinctRecords(), true);
            runs.put("pg-small", pg);
            assertThat(countPostgres("o365_bench_small")).isEqualTo(shape.distinctRecords());

            // 2. the baseline: COPY of the same rows into a table of the same shape
            copies.put("pg-small", copy("o365_bench_small", notes));

            if (RUNS.contains("h2-small")) {
                h2(microsoft, runs);
            }
            if (RUNS.contains("pg-huge")) {
                huge(microsoft, runs, copies, notes);
            }
        }
        report(runs, copies, notes);
    }

    /** 3. the same feed into H2. */
    void h2(ManagementApiSimulator microsoft, Map<String, Run> runs) throws Exception {
        SimulatedTenant h2Tenant = tenant(microsoft);
        BenchmarkFeed.Shape h2Shape = BenchmarkFeed.smallBlobs(h2Tenant, RECORDS, 10, 50, Instant.now());
        Path h2 = OUT.resolve("h2").toAbsolutePath();
        deleteTree(h2);
        String h2Url = "jdbc:h2:file:" + h2.resolve("o365-audit");
        Run h2Run = collect("H2 (embedded), many small blobs", microsoft, h2Tenant, List.of(),
                List.of("--spring.datasource.url=" + h2Url), List.of(), h2Shape.distinctRecords(), false);
        runs.put("h2-small", h2Run);
        assertThat(countH2(h2Url)).isEqualTo(h2Shape.distinctRecords());
    }

    /** 4. a few huge blobs in a 256 MB heap. */
    void huge(ManagementApiSimulator microsoft, Map<String, Run> runs, Map<String, Double> copies, List<String> notes)
            throws Exception {
        SimulatedTenant huge = tenant(microsoft);
        BenchmarkFeed.Shape hugeShape = BenchmarkFeed.hugeBlobs(huge, RECORDS, HUGE_BLOBS, Instant.now());
        notes.add(String.format(Locale.ROOT, "huge blobs: %,d records in %d blob(s), written as they are served; "
                + "collector with -Xmx256m", hugeShape.distinctRecords(), hugeShape.blobs()));
        Run hugeRun = collect("PostgreSQL, " + HUGE_BLOBS + " huge blob(s), -Xmx256m", microsoft, huge,
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), postgres("o365_bench_huge"),
                List.of("--o365.tenants[0].content-types=Audit.Exchange", "--o365.http-timeout=30m"),
                hugeShape.distinctRecords(), false);
        runs.put("pg-huge", hugeRun);
        assertThat(countPostgres("o365_bench_huge")).isEqualTo(hugeShape.distinctRecords());
        copies.put("pg-huge", copy("o365_bench_huge", notes));
    }

    static SimulatedTenant tenant(ManagementApiSimulator microsoft) {
        SimulatedTenant t = microsoft.tenant(UUID.randomUUID().toString());
        t.pageSize(200);
        return t;
    }

    static List<String> postgres(String schema) {
        Postgres.dropSchema(schema);
        return List.of("--spring.datasource.url=" + Postgres.URL + "?currentSchema=" + schema,
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true");
    }

    /**
     * Starts the packaged collector on the tenant, waits until it has stored {@code expected} records (its
     * o365.collector.records metric, looked at every 250 ms) and, when asked, measures its CPU over a minute with
     * nothing left to collect; stops it.
     */
    Run collect(String name, ManagementApiSimulator microsoft, SimulatedTenant tenant, List<String> jvmArgs,
                List<String> store, List<String> extraArgs, long expected, boolean idle) throws Exception {
        int port = freePort();
        int jmxPort = freePort();
        String clientId = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        tenant.registerSecret(clientId, secret);
        String slug = name.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT);
        Path log = OUT.resolve(slug + ".log");
        Files.deleteIfExists(log);
        // progress and heap are read over JMX (an HTTP metrics request would cost the collector a password check each)
        List<String> jvm = new ArrayList<>(List.of("-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort, "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false", "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1"));
        jvm.addAll(jvmArgs);
        // any further JVM options for an experiment, e.g. a profiler agent
        for (String a : System.getProperty("bench.collector-jvm-args", "").split(" ")) {
            if (!a.isBlank()) {
                jvm.add(a);
            }
        }
        if (JFR) {
            jvm.add("-XX:StartFlightRecording=filename=" + OUT.resolve(slug + ".jfr").toAbsolutePath()
                    + ",settings=profile,dumponexit=true");
        }
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.security.user.password=${BENCH_CONSOLE_PASSWORD}",
                "--o365.sinks.archive.enabled=false",
                "--o365.tenants[0].name=bench",
                "--o365.tenants[0].tenant-id=" + tenant.tenantId(),
                "--o365.tenants[0].client-id=" + clientId,
                "--o365.tenants[0].client-secret=${BENCH_SECRET}",
                "--o365.tenants[0].api-url=" + microsoft.baseUrl(),
                "--o365.tenants[0].login-url=" + microsoft.baseUrl()));
        args.addAll(store);
        args.addAll(extraArgs);
        // any further collector settings for an experiment, e.g. -Dbench.collector-args="--o365.parallel-blobs=8"
        for (String a : System.getProperty("bench.collector-args", "").split(" ")) {
            if (!a.isBlank()) {
                args.add(a);
            }
        }
        long started = System.nanoTime();
        Process p = CollectorProcess.start(jvm, args, Map.of("BENCH_SECRET", secret, "BENCH_CONSOLE_PASSWORD", PASSWORD), log);
        try (Jmx jmx = new Jmx(jmxPort)) {
            long deadline = started + Duration.ofMinutes(10).plusSeconds(expected / 500).toNanos();
            long peakHeap = 0;
            long firstAt = 0;
            long listingCpu = -1;
            long sourceCpu = 0;
            long databaseCpu = 0;
            Instant firstListing = null;
            long records = 0;
            while (records < expected) {
                assertThat(p.isAlive()).as("%s still running (see %s)", name, log).isTrue();
                assertThat(System.nanoTime()).as("%s done in time (see %s)", name, log).isLessThan(deadline);
                Thread.sleep(250);
                records = jmx.recordsCollected();
                peakHeap = Math.max(peakHeap, jmx.heapUsed());
                if (listingCpu < 0) {
                    // the collector's work begins with its first listing request (the simulator keeps its latest
                    // requests only, so it is looked for while it is still there)
                    firstListing = tenant.requests().stream().filter(q -> q.path().endsWith("/subscriptions/content"))
                            .map(RecordedRequest::at).min(Instant::compareTo).orElse(null);
                    if (firstListing != null) {
                        listingCpu = cpuNanos(p);   // CPU from here on is collecting, not starting up
                        sourceCpu = ownCpuNanos();
                        databaseCpu = postgresCpuNanos();
                    }
                }
                if (records > 0 && firstAt == 0) {
                    firstAt = System.nanoTime();
                }
            }
            long doneCpu = cpuNanos(p);
            sourceCpu = ownCpuNanos() - sourceCpu;
            databaseCpu = postgresCpuNanos() - databaseCpu;
            Instant doneInstant = Instant.now();
            double seconds = Duration.between(firstListing, doneInstant).toNanos() / 1e9;
            Double idleCpu = null;
            if (idle) {
                Thread.sleep(10_000);   // what follows the last record (sequencing, the first idle poll) settles
                long cpu0 = cpuNanos(p);
                long t0 = System.nanoTime();
                Thread.sleep(IDLE_SECONDS * 1000L);
                idleCpu = 100.0 * (cpuNanos(p) - cpu0) / (System.nanoTime() - t0);
                peakHeap = Math.max(peakHeap, jmx.heapUsed());
            }
            Run run = new Run(name, records, seconds, (firstAt - started) / 1e9,
                    (doneCpu - listingCpu) / 1e6 / records * 1000, peakHeap >> 20, idleCpu,
                    sourceCpu / 1e6 / records * 1000, databaseCpu / 1e6 / records * 1000);
            System.out.printf(Locale.ROOT, "COLLECTOR BENCHMARK %s: %,d records in %.1f s = %,.0f records/s%n", name,
                    run.records(), run.seconds(), run.rate());
            return run;
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The collector's JMX: records collected (the sum over its tenant × content type MBeans) and heap used. */
    static final class Jmx implements AutoCloseable {
        private final int port;
        private JMXConnector connector;
        private MBeanServerConnection server;

        Jmx(int port) {
            this.port = port;
        }

        /** 0 until the collector answers. */
        long recordsCollected() {
            try {
                long sum = 0;
                for (ObjectName n : connection().queryNames(new ObjectName("o365audit:*"), null)) {
                    if (hasAttribute(n, "RecordsCollected")) {
                        sum += ((Number) server.getAttribute(n, "RecordsCollected")).longValue();
                    }
                }
                return sum;
            } catch (IOException | JMException e) {
                connector = null;
                return 0;
            }
        }

        long heapUsed() {
            try {
                return MemoryUsage.from((javax.management.openmbean.CompositeData) connection()
                        .getAttribute(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage")).getUsed();
            } catch (IOException | JMException e) {
                connector = null;
                return 0;
            }
        }

        private boolean hasAttribute(ObjectName n, String attribute) throws IOException, JMException {
            for (MBeanAttributeInfo a : server.getMBeanInfo(n).getAttributes()) {
                if (a.getName().equals(attribute)) {
                    return true;
                }
            }
            return false;
        }

        private MBeanServerConnection connection() throws IOException {
            if (connector == null) {
                connector = JMXConnectorFactory.connect(new JMXServiceURL(
                        "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
                server = connector.getMBeanServerConnection();
            }
            return server;
        }

        @Override
        public void close() {
            try {
                if (connector != null) {
                    connector.close();
                }
            } catch (IOException ignored) {
                // the collector is stopping
            }
        }
    }

    /** This JVM's CPU time: the simulator serving the feed (and this benchmark's own sampling). */
    static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of every postgres process of this machine (/proc, in clock ticks of 10 ms): the server's work. */
    static long postgresCpuNanos() {
        long ticks = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14 and 15)
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 10_000_000L;
    }

    /** The child's CPU time (all its threads, user + system), as the OS counts it. */
    static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for the collector"))
                .toNanos();
    }

    /**
     * The baseline: the rows the collector stored, exported, then loaded with COPY into a table of the same shape
     * (LIKE ... INCLUDING ALL: the same columns, jsonb, the same unique key and indexes). Returns records/s of the load.
     */
    static double copy(String schema, List<String> notes) throws IOException, SQLException {
        String target = schema + "_copy";
        Postgres.dropSchema(target);
        Postgres.createSchema(target);
        Path file = OUT.resolve(schema + ".copy");
        try (Connection c = DriverManager.getConnection(Postgres.URL, "postgres", "")) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            String columns = String.join(", ", new JdbcTemplate(new DriverManagerDataSource(Postgres.URL, "postgres", ""))
                    .queryForList("SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
                            + "AND table_name = 'audit_event' AND column_name <> 'seq' ORDER BY ordinal_position",
                            String.class, schema));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                copy.copyOut("COPY (SELECT " + columns + " FROM " + schema + ".audit_event ORDER BY seq) TO STDOUT", out);
            }
            try (var s = c.createStatement()) {
                s.execute("CREATE TABLE " + target + ".audit_event (LIKE " + schema + ".audit_event INCLUDING ALL)");
            }
            long t0 = System.nanoTime();
            long rows;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                rows = copy.copyIn("COPY " + target + ".audit_event (" + columns + ") FROM STDIN", in);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            notes.add(String.format(Locale.ROOT, "COPY baseline for %s: %,d rows, %,d bytes of COPY text, %.1f s",
                    schema, rows, Files.size(file), seconds));
            return rows / seconds;
        } finally {
            Files.deleteIfExists(file);
            Postgres.dropSchema(target);
        }
    }

    static long countPostgres(String schema) {
        return new JdbcTemplate(new DriverManagerDataSource(Postgres.URL + "?currentSchema=" + schema, "postgres", ""))
                .queryForObject("SELECT COUNT(*) FROM audit_event", Long.class);
    }

    static long countH2(String url) {
        return new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""))
                .queryForObject("SELECT COUNT(*) FROM audit_event", Long.class);
    }

    void report(Map<String, Run> runs, Map<String, Double> copies, List<String> notes) throws IOException {
        double copyRate = copies.get("pg-small");
        StringBuilder r = new StringBuilder();
        r.append(String.format(Locale.ROOT, "Collector benchmark, %s, %d cores, %,d records per run%n%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), RECORDS));
        r.append("| run | records | s | records/s | ratio to COPY | collector CPU ms / 1,000 records | peak heap MB "
                + "| start to first record s | source CPU ms / 1,000 | PostgreSQL CPU ms / 1,000 |\n");
        r.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Run> e : runs.entrySet()) {
            Run run = e.getValue();
            double base = copies.getOrDefault(e.getKey(), copyRate);
            r.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %,.0f | %.2f | %.1f | %,d | %.1f | %.1f | %.1f |%n",
                    run.name(), run.records(), run.seconds(), run.rate(), run.rate() / base, run.cpuMsPer1000(),
                    run.peakHeapMb(), run.startToFirst(), run.sourceCpuMsPer1000(), run.databaseCpuMsPer1000()));
        }
        copies.forEach((k, v) -> r.append(String.format(Locale.ROOT, "| COPY baseline (%s) | | | %,.0f | 1.00 | | | | | |%n",
                k, v)));
        Run pg = runs.get("pg-small");
        if (pg.idleCpuPercent() != null) {
            r.append(String.format(Locale.ROOT, "%nidle CPU with nothing to collect, over %d s: %.2f %% of one core%n",
                    IDLE_SECONDS, pg.idleCpuPercent()));
        }
        sinks(r, pg.rate());
        r.append('\n');
        notes.forEach(n -> r.append("- ").append(n).append('\n'));
        System.out.println(r);
        Files.writeString(OUT.resolve("report.txt"), r.toString());
    }

    /** Each sink's rate (SinkThroughputBenchmark, earlier in the same mvn run) against the collection rate. */
    static void sinks(StringBuilder r, double collectionRate) throws IOException {
        Path tsv = Path.of("target", "sink-benchmark.tsv");
        if (!Files.isRegularFile(tsv)) {
            r.append("\n(no target/sink-benchmark.tsv: run with -Pbenchmark so that SinkThroughputBenchmark runs first)\n");
            return;
        }
        r.append(String.format(Locale.ROOT, "%n| sink (alone) | records/s | ratio to collection (%,.0f records/s) |%n|---|---|---|%n",
                collectionRate));
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t");
            if (f.length == 2 && !f[0].startsWith("#")) {
                double rate = Double.parseDouble(f[1]);
                r.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f |%n", f[0], rate, rate / collectionRate));
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
