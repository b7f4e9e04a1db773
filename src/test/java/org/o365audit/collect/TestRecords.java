package org.o365audit.collect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;

/** Shared fixtures: a fixed clock, a resolved tenant, a blob, and the corpus lines in src/test/resources/records. */
final class TestRecords {
    static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
    static final String TENANT_ID = "8d4121ed-0008-406d-bff9-0d5bb312183c";
    static final String CONTENT_ID = "20240301115000000000000$20240301115000000000000$audit_exchange$Audit_Exchange$emea0026";
    static final String CONTENT_URI = "https://manage.office.com/api/v1.0/" + TENANT_ID + "/activity/feed/audit/" + CONTENT_ID;

    private TestRecords() {
    }

    static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    static Tenant tenant() {
        TenantProperties p = new TenantProperties();
        p.setName("contoso");
        p.setTenantId(TENANT_ID);
        p.setClientId("11111111-2222-3333-4444-555555555555");
        p.setClientSecret("not-a-secret");
        return p.resolve(0);
    }

    static ContentBlob blob() {
        return new ContentBlob("Audit.Exchange", CONTENT_ID, CONTENT_URI, NOW.minus(Duration.ofMinutes(10)),
                NOW.plus(Duration.ofDays(7)));
    }

    static BlobContent content(InputStream body) {
        ContentBlob b = blob();
        return new BlobContent(tenant(), b, body, null, new BlobStats(b));
    }

    static BlobContent content(String body) {
        return content(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Line {@code n} (1-based) of {@code src/test/resources/records/<file>}, without its line feed. */
    static String line(String file, int n) {
        try (InputStream in = TestRecords.class.getResourceAsStream("/records/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource records/" + file);
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            return lines[n - 1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String msDocs(int n) {
        return line("ms-office-365-management-api-docs.ndjson", n);
    }

    static String otrf(int n) {
        return line("otrf-security-datasets-m365.ndjson", n);
    }

    static String otrfWrapped() {
        return line("otrf-security-datasets-officeactivity-wrapped.ndjson", 1);
    }

    static String pantherSchema(int n) {
        return line("panther-analysis-schema-tests.ndjson", n);
    }

    static String pantherRule(int n) {
        return line("panther-analysis-rule-tests-yaml.ndjson", n);
    }

    /** A body that counts how often it is closed. */
    static final class CloseCountingStream extends ByteArrayInputStream {
        final AtomicInteger closes = new AtomicInteger();

        CloseCountingStream(String body) {
            super(body.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            closes.incrementAndGet();
            super.close();
        }
    }
}
