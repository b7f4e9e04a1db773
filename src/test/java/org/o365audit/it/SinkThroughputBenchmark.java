package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.o365audit.Application;
import org.o365audit.api.ContentBlob;
import org.o365audit.collect.Enricher;
import org.o365audit.collect.RecordBatch;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.o365audit.it.receivers.FakeBulkEndpoint;
import org.o365audit.it.receivers.FakeSplunkHec;
import org.o365audit.it.receivers.KafkaBroker;
import org.o365audit.it.receivers.RabbitQueue;
import org.o365audit.it.receivers.S3Server;
import org.o365audit.it.receivers.FakeLogsIngestion;
import org.o365audit.it.receivers.Rsyslog;
import org.o365audit.it.receivers.WebhookReceiver;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.sink.DeliverySequencer;
import org.o365audit.sink.SinkBatch;
import org.o365audit.sink.SinkPositions;
import org.o365audit.sink.SinkRoutes;
import org.o365audit.sink.SinkStart;
import org.o365audit.store.AuditEventStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How fast each sink drains the store, against the same local receivers as {@link SinkScenarios}, with PostgreSQL
 * as the store and every sink at its default batch size. N records (-Dbench.sink-records, default 20000) are stored,
 * then sequenced; a sink's time runs from the moment the records became visible to it until its backlog is 0
 * (looked at every 50 ms). Twice: each sink alone (the others suspended), then all sinks at once on N new records.
 * The reference, measured in the same run on the same records: a null sink that claims and confirms batches of
 * 1000 with no destination. Prints a table (also target/sink-benchmark.txt) and asserts only that every record
 * arrived, never how fast: {@code mvn -B test -Pbenchmark}.
 */
@Tag("benchmark")
@CamelSpringBootTest
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "o365.simulator.mode=never",
        "camel.main.routes-include-pattern=file:routes/*.camel.yaml",
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SinkThroughputBenchmark.SCHEMA,
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=" + SinkThroughputBenchmark.SCHEMA,
        "spring.flyway.create-schemas=true",
        // the benchmark sequences the records itself, so it knows the moment they become visible
        "o365.delivery-sequencer-interval=3600000",
        // config/application.yaml's demo sink would read the same store alongside
        "o365.sinks.archive.enabled=false",
        "o365.sinks.files.type=files",
        "o365.sinks.files.directory=" + SinkThroughputBenchmark.FILES_DIR,
        "o365.sinks.files.poll-millis=100",
        "o365.sinks.webhook.type=webhook",
        "o365.sinks.webhook.secret=" + SinkThroughputBenchmark.WEBHOOK_SECRET,
        "o365.sinks.webhook.poll-millis=100",
        "o365.sinks.splunk-hec.type=splunk-hec",
        "o365.sinks.splunk-hec.token=" + SinkThroughputBenchmark.HEC_TOKEN,
        "o365.sinks.splunk-hec.index=o365",
        "o365.sinks.splunk-hec.poll-millis=100",
        "o365.sinks.elasticsearch.type=elasticsearch",
        "o365.sinks.elasticsearch.index=" + SinkThroughputBenchmark.ES_INDEX,
        "o365.sinks.elasticsearch.authorization=ApiKey YmVuY2g6YmVuY2g=",
        "o365.sinks.elasticsearch.poll-millis=100",
        "o365.sinks.syslog-json.type=syslog",
        "o365.sinks.syslog-json.host=127.0.0.1",
        "o365.sinks.syslog-json.poll-millis=100",
        "o365.sinks.syslog-cef-tls.type=syslog",
        "o365.sinks.syslog-cef-tls.host=localhost",
        "o365.sinks.syslog-cef-tls.tls=true",
        "o365.sinks.syslog-cef-tls.format=cef",
        "o365.sinks.syslog-cef-tls.ssl-context-parameters=#benchRsyslogTls",
        "o365.sinks.syslog-cef-tls.poll-millis=100",
        "o365.sinks.jdbc.type=jdbc",
        "o365.sinks.jdbc.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SinkThroughputBenchmark.COPY_SCHEMA,
        "o365.sinks.jdbc.username=postgres",
        "o365.sinks.jdbc.poll-millis=100",
        "o365.sinks.kafka.type=kafka",
        "o365.sinks.kafka.topic=" + SinkThroughputBenchmark.KAFKA_TOPIC,
        "o365.sinks.kafka.poll-millis=100",
        "o365.sinks.rabbitmq.type=rabbitmq",
        "o365.sinks.rabbitmq.host=127.0.0.1",
        "o365.sinks.rabbitmq.declare-exchange=false",
        "o365.sinks.rabbitmq.poll-millis=100",
        "o365.sinks.s3.type=s3",
        "o365.sinks.s3.bucket=" + SinkThroughputBenchmark.S3_BUCKET,
        "o365.sinks.s3.path-style-access=true",
        "o365.sinks.s3.access-key=" + S3Server.ACCESS_KEY,
        "o365.sinks.s3.secret-key=" + S3Server.SECRET_KEY,
        "o365.sinks.s3.poll-millis=100"})
@Import(SinkThroughputBenchmark.RsyslogTrust.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SinkThroughputBenchmark {
    static final String SCHEMA = "o365_bench";
    static final String COPY_SCHEMA = "o365_bench_copy";
    static final String FILES_DIR = "target/sink-benchmark/files";
    static final String WEBHOOK_SECRET = "whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA==";
    static final String HEC_TOKEN = "22222222-3333-4444-5555-666666666666";
    static final String ES_INDEX = "o365-audit";
    static final String BASELINE = "bench-baseline";
    static final int RECORDS = Integer.getInteger("bench.sink-records", 20_000);
    static final Duration PATIENCE = Duration.ofMinutes(10);
    static final Path REPORT = Path.of("target", "sink-benchmark.txt");
    static final Path TSV = Path.of("target", "sink-benchmark.tsv");
    static final ObjectMapper JSON = new ObjectMapper();

    static final WebhookReceiver WEBHOOK = WebhookReceiver.start("/hook", WEBHOOK_SECRET);
    static final FakeSplunkHec HEC = FakeSplunkHec.start(HEC_TOKEN).allowIndexes("o365");
    static final FakeBulkEndpoint BULK = FakeBulkEndpoint.start().requireAuthorization("ApiKey YmVuY2g6YmVuY2g=");
    static final Rsyslog RSYSLOG = Rsyslog.start();
    static final JdbcTemplate COPY = new JdbcTemplate(new DriverManagerDataSource(Postgres.URL, "postgres", ""));
    static final String KAFKA_TOPIC = "o365-bench";
    /** A real Kafka broker (KRaft, child JVM) and the machine's RabbitMQ, an exchange and queue of this run. */
    static final KafkaBroker KAFKA = KafkaBroker.start("bench");
    static final RabbitQueue RABBIT = RabbitQueue.forBenchmark();
    static final String S3_BUCKET = "o365-bench";
    /** S3Proxy (child JVM, filesystem store) as the S3-compatible object store. */
    static final S3Server S3 = S3Server.start("bench").createBucket(S3_BUCKET);
    static final String SENTINEL_CLIENT = UUID.randomUUID().toString();
    static final String SENTINEL_SECRET = "bench-" + UUID.randomUUID();
    /** A local stand-in of the Logs Ingestion API and its Entra ID token endpoint, over HTTPS, in this JVM. */
    static final FakeLogsIngestion SENTINEL = FakeLogsIngestion.startForBenchmark(SENTINEL_CLIENT, SENTINEL_SECRET);

    static {
        Postgres.dropSchema(SCHEMA);
        Postgres.dropSchema(COPY_SCHEMA);
        Postgres.createSchema(COPY_SCHEMA);
        deleteTree(Path.of(FILES_DIR));
        KAFKA.createTopic(KAFKA_TOPIC, 3);
    }

    @org.junit.jupiter.api.AfterAll
    static void stopBrokers() {
        KAFKA.close();
        RABBIT.close();
        S3.close();
        SENTINEL.close();
    }

    @Autowired
    AuditEventStore store;
    @Autowired
    Enricher enricher;
    @Autowired
    DeliverySequencer sequencer;
    @Autowired
    SinkPositions positions;
    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void receivers(DynamicPropertyRegistry r) {
        r.add("o365.sinks.webhook.url", WEBHOOK::url);
        r.add("o365.sinks.splunk-hec.url", HEC::baseUrl);
        r.add("o365.sinks.elasticsearch.url", BULK::baseUrl);
        r.add("o365.sinks.syslog-json.port", () -> String.valueOf(RSYSLOG.tcpPort()));
        r.add("o365.sinks.syslog-cef-tls.port", () -> String.valueOf(RSYSLOG.tlsPort()));
        r.add("o365.sinks.kafka.brokers", KAFKA::bootstrapServers);
        r.add("o365.sinks.rabbitmq.exchange", RABBIT::exchange);
        r.add("o365.sinks.s3.endpoint", S3::endpoint);
        SENTINEL.sinkSettings(SENTINEL_CLIENT).forEach((k, v) -> r.add("o365.sinks.sentinel." + k, () -> v));
        r.add("o365.sinks.sentinel.client-secret", () -> SENTINEL_SECRET);
        r.add("o365.sinks.sentinel.poll-millis", () -> "100");
    }

    @TestConfiguration
    static class RsyslogTrust {
        /** The TLS syslog sink trusts rsyslog's self-signed certificate. */
        @Bean("benchRsyslogTls")
        SSLContextParameters benchRsyslogTls() {
            return RSYSLOG.sslContextParameters();
        }
    }

    /** What each sink's destination holds, counted the destination's way. */
    Map<String, LongSupplier> received() {
        Map<String, LongSupplier> m = new LinkedHashMap<>();
        m.put("files", () -> ndjsonLines(Path.of(FILES_DIR)));
        m.put("webhook", WEBHOOK::distinctRecordCount);
        m.put("splunk-hec", HEC::eventCount);
        m.put("elasticsearch", () -> BULK.documentCount(ES_INDEX));
        m.put("syslog-json", () -> syslogMessages("{"));
        m.put("syslog-cef-tls", () -> syslogMessages("CEF:"));
        m.put("jdbc", () -> COPY.queryForObject("SELECT COUNT(*) FROM " + COPY_SCHEMA + ".o365_audit_record", Long.class));
        m.put("kafka", () -> KafkaBroker.count(KAFKA.bootstrapServers(), KAFKA_TOPIC));
        m.put("rabbitmq", RABBIT::count);
        m.put("s3", () -> S3.countLines(S3_BUCKET, ""));
        m.put("sentinel", () -> (long) SENTINEL.rows());
        return m;
    }

    @Test
    void measuresHowFastEachSinkDrainsTheStore() throws Exception {
        List<String> sinks = List.copyOf(received().keySet());
        // every sink has looked once (its position exists, at the start of the store), then waits suspended
        await().atMost(Duration.ofSeconds(60)).until(() -> sinks.stream().allMatch(s -> positions.find(s).isPresent()));
        for (String s : sinks) {
            camel.getRouteController().suspendRoute(SinkRoutes.routeId(s));
        }
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        SoftAssertions arrived = new SoftAssertions();

        Instant created = Instant.now();
        long bytes = storeRecords(RECORDS, 1, notes);
        long seqStart = System.nanoTime();
        int sequenced = sequencer.sequence();
        notes.add(String.format("sequenced %d records in one epoch in %.2f s", sequenced, seconds(seqStart)));
        assertThat(sequenced).isEqualTo(RECORDS);

        Row baseline = baseline();
        rows.add(baseline);

        // each sink alone: resumed on the stored records, suspended again once its backlog is 0
        Map<String, Long> arrivedAlone = new LinkedHashMap<>();
        for (String s : sinks) {
            double failedBefore = failedDeliveries(s);
            camel.getRouteController().resumeRoute(SinkRoutes.routeId(s));
            Map<String, Double> t = drain(List.of(s), System.nanoTime());
            camel.getRouteController().suspendRoute(SinkRoutes.routeId(s));
            long got = settle(s, RECORDS);
            arrivedAlone.put(s, got);
            rows.add(new Row("alone", s, RECORDS, t.get(s), (long) (failedDeliveries(s) - failedBefore), got));
            checkEveryRecordArrivedOnce(arrived, s, RECORDS, got);
        }

        // all sinks at once, idling on their 100 ms poll when N new records become visible
        Map<String, Double> failedBefore = new LinkedHashMap<>();
        for (String s : sinks) {
            failedBefore.put(s, failedDeliveries(s));
            camel.getRouteController().resumeRoute(SinkRoutes.routeId(s));
        }
        bytes += storeRecords(RECORDS, 2, notes);
        assertThat(sequencer.sequence()).isEqualTo(RECORDS);
        Map<String, Double> together = drain(sinks, System.nanoTime());
        long failedTogether = 0;
        long gotTogether = 0;
        for (String s : sinks) {
            long failed = (long) (failedDeliveries(s) - failedBefore.get(s));
            long total = settle(s, 2L * RECORDS);
            failedTogether += failed;
            gotTogether += total - arrivedAlone.get(s);
            rows.add(new Row("together", s, RECORDS, together.get(s), failed, total - arrivedAlone.get(s)));
            checkEveryRecordArrivedOnce(arrived, s, 2L * RECORDS, total);
        }
        rows.add(new Row("together", "all " + sinks.size() + " sinks", (long) RECORDS * sinks.size(),
                together.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow(), failedTogether, gotTogether));

        notes.add(String.format("raw JSON per record: %d bytes on average", bytes / (2L * RECORDS)));
        report(rows, baseline, notes, created);
        arrived.assertAll();
    }

    // ---- the measurements

    /** The null sink: claim and confirm the same records in batches of 1000, no destination. */
    Row baseline() {
        long start = System.nanoTime();
        long read = 0;
        while (true) {
            SinkBatch b = positions.claim(BASELINE, SinkStart.EARLIEST, 1000, 0);
            if (b.isEmpty()) {
                break;
            }
            positions.confirm(BASELINE, b.id(), b.size(), 0);
            read += b.size();
        }
        double secs = seconds(start);
        assertThat(read).isEqualTo(RECORDS);
        return new Row("baseline", "null sink (claim+confirm)", read, secs, null, null);
    }

    /** Seconds from {@code start} until each sink's backlog is 0, looked at every 50 ms. */
    Map<String, Double> drain(List<String> sinks, long start) throws InterruptedException {
        Map<String, Double> done = new LinkedHashMap<>();
        Set<String> waiting = new LinkedHashSet<>(sinks);
        long next = start;
        while (!waiting.isEmpty()) {
            next += 50_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            for (String s : List.copyOf(waiting)) {
                if (positions.backlog(s).records() == 0) {
                    done.put(s, seconds(start));
                    waiting.remove(s);
                }
            }
            if (System.nanoTime() - start > PATIENCE.toNanos()) {
                Map<String, Long> left = new LinkedHashMap<>();
                waiting.forEach(s -> left.put(s, positions.backlog(s).records()));
                throw new AssertionError("sinks not drained after " + PATIENCE + ": records left " + left
                        + " (see sink_set_aside and the log for failed deliveries)");
            }
        }
        Map<String, Double> inOrder = new LinkedHashMap<>();
        sinks.forEach(s -> inOrder.put(s, done.get(s)));
        return inOrder;
    }

    /**
     * What the sink's destination holds once it has taken in what it was sent: syslog has no receipt, so rsyslog
     * may still be writing. Waits up to 30 s for {@code expected}, then returns what is there.
     */
    long settle(String sink, long expected) throws InterruptedException {
        LongSupplier count = received().get(sink);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long n = count.getAsLong();
        while (n != expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            n = count.getAsLong();
        }
        return n;
    }

    void checkEveryRecordArrivedOnce(SoftAssertions soft, String sink, long expected, long atDestination) {
        SinkPositions.Position p = positions.find(sink).orElseThrow();
        soft.assertThat(p.delivered()).as("records %s confirmed", sink).isEqualTo(expected);
        soft.assertThat(p.setAside()).as("records %s set aside", sink).isZero();
        soft.assertThat(atDestination).as("records at the %s destination, %d confirmed", sink, p.delivered())
                .isEqualTo(expected);
        switch (sink) {
            case "webhook" -> {
                soft.assertThat(WEBHOOK.duplicateRecordArrivals()).as("webhook duplicates").isZero();
                soft.assertThat(WEBHOOK.rejectedSignatures()).as("webhook signatures rejected").isZero();
                soft.assertThat(WEBHOOK.internalErrors()).as("webhook receiver errors").isEmpty();
            }
            case "splunk-hec" -> {
                soft.assertThat(HEC.rejections()).as("HEC rejections").isEmpty();
                soft.assertThat(HEC.internalErrors()).as("HEC receiver errors").isEmpty();
            }
            case "elasticsearch" -> soft.assertThat(BULK.internalErrors()).as("_bulk receiver errors").isEmpty();
            default -> {
            }
        }
    }

    // ---- the records

    /**
     * n records as the collector stores them (enriched, in blobs of 500 per tenant and content type): 3 tenants,
     * created over the last 3 hours; 6 in 10 the small Exchange record of TestRecords, 1 an Azure AD role change,
     * 3 real records of the corpus (0.7-1.7 KB) with new Ids. Returns the bytes of raw JSON.
     */
    long storeRecords(int n, int round, List<String> notes) {
        List<String> larger = corpusTemplates();
        List<Tenant> tenants = List.of(tenant("bench-contoso"), tenant("bench-fabrikam"), tenant("bench-northwind"));
        Instant now = Instant.now();
        Map<String, List<RecordBatch.RawRecord>> byBlob = new LinkedHashMap<>();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            Tenant t = tenants.get(i % tenants.size());
            String id = UUID.randomUUID().toString();
            Instant created = now.minusSeconds((i * 37L) % 10_800);
            int kind = i % 10;
            String raw = kind < 6 ? TestRecords.record(id, t.tenantId(), created)
                    : kind == 6 ? TestRecords.aadRecord(id, t.tenantId(), created)
                    : fromTemplate(larger.get(i % larger.size()), id, t.tenantId(), created);
            bytes += raw.getBytes(StandardCharsets.UTF_8).length;
            ObjectNode json = parse(raw);
            String key = tenants.indexOf(t) + "|" + contentType(json.path("Workload").asText());
            byBlob.computeIfAbsent(key, k -> new ArrayList<>()).add(RecordBatch.RawRecord.of(raw, json));
        }
        long start = System.nanoTime();
        int blob = 0;
        for (Map.Entry<String, List<RecordBatch.RawRecord>> e : byBlob.entrySet()) {
            Tenant t = tenants.get(Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('|'))));
            String contentType = e.getKey().substring(e.getKey().indexOf('|') + 1);
            List<RecordBatch.RawRecord> all = e.getValue();
            for (int from = 0; from < all.size(); from += 500) {
                blob++;
                ContentBlob cb = new ContentBlob(contentType, TestRecords.contentId("bench" + round, blob),
                        "https://127.0.0.1/bench/" + blob, now, now.plus(Duration.ofDays(7)));
                BlobStats stats = new BlobStats(cb);
                BlobContent content = new BlobContent(t, cb, null, null, stats);
                store.store(enricher.enrich(new RecordBatch(content, all.subList(from, Math.min(all.size(), from + 500)), List.of())));
            }
        }
        notes.add(String.format("round %d: stored %d records in %d blobs in %.2f s (not measured)", round, n, blob, seconds(start)));
        return bytes;
    }

    static Tenant tenant(String name) {
        TenantProperties p = new TenantProperties();
        p.setName(name);
        p.setTenantId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
        p.setClientId(UUID.randomUUID().toString());
        p.setClientSecret("not-used");
        return p.resolve(0);
    }

    static String contentType(String workload) {
        return switch (workload) {
            case "Exchange" -> "Audit.Exchange";
            case "AzureActiveDirectory" -> "Audit.AzureActiveDirectory";
            case "SharePoint", "OneDrive" -> "Audit.SharePoint";
            default -> "Audit.General";
        };
    }

    /** Corpus records (src/test/resources/records) of at least 700 bytes with Id, OrganizationId and CreationTime. */
    static List<String> corpusTemplates() {
        List<String> out = new ArrayList<>();
        for (String file : List.of("ms-office-365-management-api-docs", "otrf-security-datasets-m365",
                "panther-analysis-schema-tests", "panther-analysis-rule-tests-yaml")) {
            try (InputStream in = SinkThroughputBenchmark.class.getResourceAsStream("/records/" + file + ".ndjson");
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                r.lines().filter(l -> l.length() >= 700).filter(l -> {
                    JsonNode j = parse(l);
                    return j.path("Id").isTextual() && j.path("OrganizationId").isTextual() && j.path("CreationTime").isTextual();
                }).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(5);
        return out;
    }

    /** The template with a new Id, the tenant's OrganizationId and a new CreationTime; the rest byte for byte. */
    static String fromTemplate(String template, String id, String tenantId, Instant created) {
        JsonNode j = parse(template);
        String s = replaceOnce(template, "\"Id\":\"" + j.get("Id").asText() + "\"", "\"Id\":\"" + id + "\"");
        s = replaceOnce(s, "\"OrganizationId\":\"" + j.get("OrganizationId").asText() + "\"", "\"OrganizationId\":\"" + tenantId + "\"");
        return replaceOnce(s, "\"CreationTime\":\"" + j.get("CreationTime").asText() + "\"",
                "\"CreationTime\":\"" + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(created) + "\"");
    }

    static String replaceOnce(String s, String what, String with) {
        int at = s.indexOf(what);
        assertThat(at).as("%s in a corpus record", what).isNotNegative();
        return s.substring(0, at) + with + s.substring(at + what.length());
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the destinations' counts

    long syslogMessages(String messageStart) {
        return RSYSLOG.lines().stream().filter(l -> {
            int sd = l.indexOf("] ");
            return sd >= 0 && l.substring(sd + 2).replace("\uFEFF", "").startsWith(messageStart);
        }).count();
    }

    /** NDJSON lines in all files of the directory, active ones included (the sink confirmed them). */
    static long ndjsonLines(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        long n = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".ndjson") || name.endsWith(".ndjson.gz")) {
                    try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f);
                         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        n += r.lines().filter(l -> !l.isEmpty()).count();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    // ---- the report

    /**
     * One line of the table. failed: delivery attempts that failed and were retried meanwhile; arrived: records the
     * destination got in this phase (both none for the baseline).
     */
    record Row(String phase, String sink, long records, double seconds, Long failed, Long arrived) {
        double perSecond() {
            return records / seconds;
        }
    }

    void report(List<Row> rows, Row baseline, List<String> notes, Instant at) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Sink throughput, %s: %d records per round, store PostgreSQL (%s), %d CPUs, Java %s%n",
                at, RECORDS, jdbc.queryForObject("SHOW server_version", String.class),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        b.append(String.format("%-9s %-26s %8s %9s %10s %9s %7s %8s%n", "phase", "sink", "records", "seconds", "records/s",
                "ratio", "failed", "arrived"));
        for (Row r : rows) {
            b.append(String.format("%-9s %-26s %8d %9.2f %10.0f %9.3f %7s %8s%n", r.phase(), r.sink(), r.records(), r.seconds(),
                    r.perSecond(), r.perSecond() / baseline.perSecond(), r.failed() == null ? "-" : r.failed(),
                    r.arrived() == null ? "-" : r.arrived()));
        }
        b.append("ratio = records/s divided by the baseline's records/s (same run, same records);"
                + " failed = deliveries that failed and were sent again (a retry's back-off is in the seconds);"
                + " arrived = records the destination holds from this phase (should equal records)\n");
        b.append("a sink's seconds run from the moment the records became visible to it until its backlog was 0"
                + " (looked at every 50 ms; the sink itself looks every 100 ms)\n");
        notes.forEach(n -> b.append(n).append('\n'));
        System.out.println();
        System.out.print(b);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, b.toString());
        // each sink's rate alone, for CollectorBenchmark to set against the collection rate later in the same run
        StringBuilder tsv = new StringBuilder("# sink\trecords/s alone\n");
        rows.stream().filter(r -> r.phase().equals("alone"))
                .forEach(r -> tsv.append(r.sink()).append('\t').append(String.format(java.util.Locale.ROOT, "%.0f", r.perSecond()))
                        .append('\n'));
        Files.writeString(TSV, tsv.toString());
    }

    double failedDeliveries(String sink) {
        return meters.find("o365.sink.deliveries.failed").tag("sink", sink).counter().count();
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
