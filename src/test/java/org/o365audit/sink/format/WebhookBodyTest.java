package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o365audit.sink.SinkBatch;
import org.o365audit.sink.SinkRecord;

class WebhookBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WebhookBody webhook = new WebhookBody();
    private final String signInRaw = Corpus.line("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
    private final SinkRecord signIn = Corpus.record(signInRaw);

    @Test
    void batchCarriesIdSinkCountAndRecords() throws Exception {
        SinkRecord mailbox = Corpus.find("otrf-security-datasets-m365.ndjson", "8b30644e-adc3-430a-9e1b-08db59217c9f");
        JsonNode b = JSON.readTree(webhook.body(new SinkBatch("soc-hook", "b-7f3a", List.of(signIn, mailbox), false, 0)));

        assertThat(b.get("batchId").asText()).isEqualTo("b-7f3a");
        assertThat(b.get("sink").asText()).isEqualTo("soc-hook");
        assertThat(b.get("count").asInt()).isEqualTo(2);
        assertThat(b.get("records")).hasSize(2);
        assertThat(b.at("/records/1/record/Operation").asText()).isEqualTo("Set-Mailbox");
    }

    @Test
    void eachRecordHasTheCollectorsFacts() throws Exception {
        JsonNode r = JSON.readTree(webhook.body("b-1", "hook", List.of(signIn))).at("/records/0");

        assertThat(r.get("tenantId").asText()).isEqualTo(Corpus.TENANT_ID);
        assertThat(r.get("tenantName").asText()).isEqualTo("contoso");
        assertThat(r.get("app").asText()).isEqualTo(signIn.getApp());
        assertThat(r.get("contentType").asText()).isEqualTo("Audit.AzureActiveDirectory");
        assertThat(r.get("recordTypeName").asText()).isEqualTo("AzureActiveDirectoryStsLogon");
        assertThat(r.get("creationTime").asText()).isEqualTo("2023-07-23T12:13:33Z");
        assertThat(r.get("collectedAt").asText()).isEqualTo("2023-07-23T12:18:33Z");
        assertThat(r.get("lagSeconds").asLong()).isEqualTo(300);
        assertThat(r.get("source").asText()).isEqualTo("management-api");
    }

    @Test
    void recordIsEmbeddedByteForByte() {
        String body = new String(webhook.body("b-1", "hook", List.of(signIn)), StandardCharsets.UTF_8);

        assertThat(body).contains("\"record\":" + signInRaw + "}]}");
    }

    @Test
    void unknownValuesAreNullSoTheShapeNeverChanges() throws Exception {
        SinkRecord bare = new SinkRecord(1, 1, "t", null, null, "1", null, null, null, null, null, null, null, null,
                null, null, null, "{\"Id\":\"1\"}");
        JsonNode r = JSON.readTree(webhook.body("b-1", "hook", List.of(bare))).at("/records/0");

        assertThat(r.fieldNames()).toIterable().containsExactly("tenantId", "tenantName", "app", "contentType",
                "recordTypeName", "creationTime", "collectedAt", "lagSeconds", "source", "actorDisplayName", "actorDepartment",
                "actorGroups", "actorOnPremisesSync", "actorAppId", "actorAppName", "record");
        assertThat(r.get("creationTime").isNull()).isTrue();
        assertThat(r.get("lagSeconds").isNull()).isTrue();
    }

    @Test
    void emptyBatchStillHasItsShape() {
        assertThat(new String(webhook.body("b-1", "hook", List.of()), StandardCharsets.UTF_8))
                .isEqualTo("{\"batchId\":\"b-1\",\"sink\":\"hook\",\"count\":0,\"records\":[]}");
    }
}
