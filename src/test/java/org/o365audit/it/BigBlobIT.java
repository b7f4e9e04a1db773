package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.SimBlob;
import org.o365audit.simulator.SimulatedTenant;
import org.o365audit.simulator.TestTls;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A 1 GB content blob, generated while it is served, collected by the packaged collector running with
 * -Xmx256m into PostgreSQL. Prints the records/s and the peak heap it saw. Heavy: runs only with
 * {@code mvn -B verify -Pbig-blob -Dit.test=BigBlobIT}.
 */
@Tag("heavy")
class BigBlobIT {
    static final long TARGET_BYTES = Long.getLong("bigblob.bytes", 1L << 30);
    static final String SCHEMA = "o365_bigblob";

    @Test
    void collectsAOneGigabyteBlobInA256MegabyteHeap() throws Exception {
        Postgres.dropSchema(SCHEMA);
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(Postgres.URL + "?currentSchema=" + SCHEMA, "postgres", ""));
        try (ManagementApiSimulator microsoft = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST)) {
            String tenantId = UUID.randomUUID().toString();
            String clientId = UUID.randomUUID().toString();
            String secret = UUID.randomUUID().toString();
            SimulatedTenant sim = microsoft.tenant(tenantId);
            sim.registerSecret(clientId, secret);
            Instant created = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            AtomicLong records = new AtomicLong();
            sim.addBlob(SimBlob.ofStream("Audit.Exchange", TestRecords.contentId("big", 1), created, created,
                    out -> records.set(writeBlob(out, tenantId, created))));

            // baseline in the same run: the same blob downloaded over the same HTTPS, read and thrown away
            double baselineMBs = rawDownloadMBs(microsoft, tenantId, clientId, secret);

            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Path.of("target", "big-blob.log");
            Files.deleteIfExists(log);
            int jmxPort = CollectorBenchmark.freePort();
            // the heap is read over JMX: /actuator/metrics needs a login
            Process p = CollectorProcess.start(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                    "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                    "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1"), List.of(
                    "--server.port=" + port,
                    "--management.endpoints.web.exposure.include=health,metrics",
                    "--spring.datasource.url=" + Postgres.URL + "?currentSchema=" + SCHEMA,
                    "--spring.datasource.username=postgres",
                    "--spring.flyway.schemas=" + SCHEMA,
                    "--spring.flyway.create-schemas=true",
                    "--o365.poll-interval=5s",
                    "--o365.http-timeout=10m",
                    "--o365.tenants[0].name=big",
                    "--o365.tenants[0].tenant-id=" + tenantId,
                    "--o365.tenants[0].client-id=" + clientId,
                    "--o365.tenants[0].client-secret=${BIG_BLOB_SECRET}",
                    "--o365.tenants[0].api-url=" + microsoft.baseUrl(),
                    "--o365.tenants[0].login-url=" + microsoft.baseUrl(),
                    "--o365.tenants[0].content-types=Audit.Exchange"), Map.of("BIG_BLOB_SECRET", secret), log);
            long peakHeap = 0;
            long started = System.nanoTime();
            try (CollectorBenchmark.Jmx jmx = new CollectorBenchmark.Jmx(jmxPort)) {
                long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
                while (ledgered(db) == 0) {
                    assertThat(p.isAlive()).as("collector still running (see target/big-blob.log)").isTrue();
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    peakHeap = Math.max(peakHeap, jmx.heapUsed());
                    Thread.sleep(250);
                }
            } finally {
                p.destroy();
                p.waitFor();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long stored = db.queryForObject("SELECT COUNT(*) FROM audit_event", Long.class);
            double mbs = TARGET_BYTES / 1e6 / seconds;
            System.out.printf("BIG BLOB: %,d bytes, %,d records stored in %.1f s (%.0f records/s, %.1f MB/s), "
                    + "peak heap used %,d MB with -Xmx256m; baseline raw download %.1f MB/s, ratio %.2f%n",
                    TARGET_BYTES, stored, seconds, stored / seconds, mbs, peakHeap >> 20, baselineMBs, mbs / baselineMBs);
            assertThat(stored).isEqualTo(records.get());
            assertThat(db.queryForObject("SELECT status FROM blob_ledger", String.class)).isEqualTo("collected");
        }
    }

    /** MB/s of a plain download of the blob (token by form POST, GET with the bearer), bytes discarded. */
    static double rawDownloadMBs(ManagementApiSimulator microsoft, String tenantId, String clientId, String secret)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret
                + "&scope=https%3A%2F%2Fmanage.office.com%2F.default";
        HttpResponse<String> tok = http.send(HttpRequest.newBuilder(URI.create(microsoft.baseUrl() + "/" + tenantId
                + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String token = new ObjectMapper().readTree(tok.body()).path("access_token").asText();
        http.send(HttpRequest.newBuilder(URI.create(microsoft.baseUrl() + "/api/v1.0/" + tenantId
                + "/activity/feed/subscriptions/start?contentType=Audit.Exchange&PublisherIdentifier=" + tenantId))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        long t0 = System.nanoTime();
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(microsoft.baseUrl() + "/api/v1.0/"
                + tenantId + "/activity/feed/audit/" + java.net.URLEncoder.encode(TestRecords.contentId("big", 1),
                StandardCharsets.UTF_8) + "?PublisherIdentifier=" + tenantId)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (java.io.InputStream in = r.body()) {
            for (int k; (k = in.read(buf)) > 0; ) {
                n += k;
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(TARGET_BYTES);
        return n / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    /** Writes records until the blob reaches TARGET_BYTES; returns how many. */
    static long writeBlob(OutputStream raw, String tenantId, Instant created) throws IOException {
        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
        out.write('[');
        long bytes = 1;
        long n = 0;
        while (bytes < TARGET_BYTES) {
            byte[] rec = TestRecords.record(UUID.randomUUID().toString(), tenantId, created.minusSeconds(n % 3600))
                    .getBytes(StandardCharsets.UTF_8);
            if (n > 0) {
                out.write(',');
                bytes++;
            }
            out.write(rec);
            bytes += rec.length;
            n++;
        }
        out.write(']');
        out.flush();
        return n;
    }

    static int ledgered(JdbcTemplate db) {
        try {
            return db.queryForObject("SELECT COUNT(*) FROM blob_ledger", Integer.class);
        } catch (RuntimeException notYetMigrated) {
            return 0;
        }
    }
}
