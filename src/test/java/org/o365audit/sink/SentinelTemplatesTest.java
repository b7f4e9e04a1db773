package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.o365audit.config.Cloud;
import org.o365audit.sink.format.SentinelRows;

/**
 * config/sentinel/: the custom table and the DCR's stream declare the very columns, with the very types, that the
 * Sentinel sink's rows carry; and the rows stay valid JSON whatever the record holds.
 */
class SentinelTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM = "Custom-O365Audit_CL";

    @Test
    void theDcrStreamDeclaresTheColumnsTheSinkWrites() throws IOException {
        JsonNode rule = JSON.readTree(Path.of("config/sentinel/dcr.json").toFile()).path("resources").get(0);
        assertThat(rule.path("type").asText()).isEqualTo("Microsoft.Insights/dataCollectionRules");
        assertThat(columns(rule.path("properties").path("streamDeclarations").path(STREAM).path("columns")))
                .containsExactlyEntriesOf(sinkColumns());
        JsonNode flow = rule.path("properties").path("dataFlows").get(0);
        assertThat(flow.path("streams").get(0).asText()).isEqualTo(STREAM);
        assertThat(flow.path("outputStream").asText()).isEqualTo(STREAM);
        assertThat(flow.path("transformKql").asText()).isEqualTo("source");
    }

    @Test
    void theTableHasTheColumnsOfTheStream() throws IOException {
        JsonNode schema = JSON.readTree(Path.of("config/sentinel/table.json").toFile()).path("properties").path("schema");
        assertThat(STREAM).isEqualTo("Custom-" + schema.path("name").asText());
        assertThat(columns(schema.path("columns"))).containsExactlyEntriesOf(sinkColumns());
    }

    @Test
    void aRowCarriesOnlyDeclaredColumnsAndStaysValidJsonWhateverTheRecordHolds() throws IOException {
        String raw = "{\"Id\":\"r1\",\"CreationTime\":\"2026-12-01T10:00:00\",\"Odd\":\"\\u0000 \\\"q\\\" \\\\ \\n é中 𝄞\"}";
        SinkRecord hostile = record(raw);
        SinkRecord notJson = record("not json {\u0000 \"");
        List<byte[]> rows = new ArrayList<>(List.of(SentinelRows.row(hostile), SentinelRows.row(notJson)));
        byte[] body = SentinelRows.body(rows);
        assertThat((long) body.length).isEqualTo(SentinelRows.size(rows));
        JsonNode array = JSON.readTree(body);
        assertThat(array).hasSize(2);
        for (JsonNode row : array) {
            row.fieldNames().forEachRemaining(f -> assertThat(sinkColumns()).containsKey(f));
        }
        assertThat(array.get(0).path("Record")).isEqualTo(JSON.readTree(raw));
        assertThat(array.get(0).path("TimeGenerated").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(array.get(0).path("RecordId").asText()).isEqualTo("r1");
        assertThat(array.get(1).path("Record").asText()).isEqualTo("not json {\u0000 \"");
    }

    @Test
    void theTokenIsAskedForTheAzureMonitorAudienceOfTheCloud() {
        assertThat(SentinelTokens.scope(Cloud.ENTERPRISE)).isEqualTo("https://monitor.azure.com//.default");
        assertThat(SentinelTokens.scope(Cloud.GCC)).isEqualTo("https://monitor.azure.com//.default");
        assertThat(SentinelTokens.scope(Cloud.GCC_HIGH)).isEqualTo("https://monitor.azure.us//.default");
        assertThat(SentinelTokens.scope(Cloud.DOD)).isEqualTo("https://monitor.azure.us//.default");
        assertThat(SentinelTokens.scope(Cloud.CHINA)).isEqualTo("https://monitor.azure.cn//.default");
        assertThat(SentinelTokens.login(Map.of("cloud", "gcc-high"))).isEqualTo("https://login.microsoftonline.us");
        assertThat(SentinelTokens.login(Map.of("login-url", "https://127.0.0.1:8443/"))).isEqualTo("https://127.0.0.1:8443");
    }

    private static SinkRecord record(String raw) {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        return new SinkRecord(1, 1, "tenant-1", "contoso", "Audit.Exchange", "r1", t, t.plusSeconds(60), 60L,
                "Exchange", 1, "ExchangeAdmin", "Set-Mailbox", "u@contoso.com", "203.0.113.7", "Exchange",
                "management-api", raw);
    }

    private static Map<String, String> sinkColumns() {
        Map<String, String> m = new LinkedHashMap<>();
        SentinelRows.COLUMNS.forEach(c -> m.put(c[0], c[1]));
        return m;
    }

    private static Map<String, String> columns(JsonNode array) {
        Map<String, String> m = new LinkedHashMap<>();
        array.forEach(c -> m.put(c.path("name").asText(), c.path("type").asText()));
        return m;
    }
}
