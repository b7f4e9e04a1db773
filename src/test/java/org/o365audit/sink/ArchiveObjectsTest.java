package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.o365audit.sink.ArchiveObjects.ArchiveObject;

class ArchiveObjectsTest {
    static final String TENANT = "0b6e2c1a-3f4d-4e5f-8a9b-0c1d2e3f4a5b";

    static SinkRecord record(String id, String app, String creationTime) {
        Instant created = creationTime == null ? null : Instant.parse(creationTime);
        return new SinkRecord(1, 1, TENANT, "contoso", "Audit.General", id, created,
                Instant.parse("2026-11-25T12:00:00Z"), 5L, "W", 1, "T", "Op", "u", null, app, "management-api",
                "{\"Id\":\"" + id + "\",\"Operation\":\"a\\\"b\\\\c\\nd é\"}");
    }

    @Test
    void oneObjectPerTenantAppAndHourNamedAfterTheBatch() throws IOException {
        SinkBatch batch = new SinkBatch("cold", "5f0c-batch", List.of(
                record("1", "Exchange", "2026-11-25T09:59:59Z"),
                record("2", "Power BI", "2026-11-25T10:00:00Z"),
                record("3", "Exchange", "2026-11-25T09:01:00Z"),
                record("4", "../x/y", null)), false, 0);
        List<ArchiveObject> objects = ArchiveObjects.of(batch, "/archive/m365/");
        assertThat(objects).extracting(ArchiveObject::key).containsExactly(
                "archive/m365/" + TENANT + "/Exchange/2026/11/25/09/5f0c-batch.ndjson.gz",
                "archive/m365/" + TENANT + "/Power-BI/2026/11/25/10/5f0c-batch.ndjson.gz",
                // no creationTime: the collection time; an app that is not a safe path segment is made one
                "archive/m365/" + TENANT + "/..-x-y/2026/11/25/12/5f0c-batch.ndjson.gz");
        assertThat(objects.get(0).records()).isEqualTo(2);
        String lines = new String(new GZIPInputStream(new ByteArrayInputStream(objects.get(0).body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(lines.split("\n")).hasSize(2);
        assertThat(lines).contains("\"Id\":\"1\"", "\"Id\":\"3\"").endsWith("\n");
    }

    @Test
    void theSameBatchGivesTheSameBytesEveryTime() throws InterruptedException {
        SinkBatch batch = new SinkBatch("cold", "b1", List.of(record("1", "Exchange", "2026-11-25T09:00:00Z")), false, 0);
        ArchiveObject first = ArchiveObjects.of(batch, "").get(0);
        Thread.sleep(1100);   // a gzip header with a time in it would differ now
        ArchiveObject again = ArchiveObjects.of(batch.with(batch.records()), "").get(0);
        assertThat(again.key()).isEqualTo(first.key()).startsWith(TENANT + "/Exchange/");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.md5()).isEqualTo(first.md5());
    }

    @Test
    void segmentsAreKeySafe() {
        assertThat(ArchiveObjects.segment("Power BI")).isEqualTo("Power-BI");
        assertThat(ArchiveObjects.segment("a/b\\c\u0000d é")).isEqualTo("a-b-c-d--");
        assertThat(ArchiveObjects.segment("..")).isEqualTo("unknown");
        assertThat(ArchiveObjects.segment("")).isEqualTo("unknown");
        assertThat(ArchiveObjects.segment(null)).isEqualTo("unknown");
        assertThat(ArchiveObjects.segment("x".repeat(300))).hasSize(100);
    }
}
