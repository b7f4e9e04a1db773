package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o365audit.sink.SinkRecord;

class BulkRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BulkRequest bulk = new BulkRequest();
    private final SinkRecord signIn = Corpus.find("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
    private final SinkRecord mailbox = Corpus.find("otrf-security-datasets-m365.ndjson", "8b30644e-adc3-430a-9e1b-08db59217c9f");

    @Test
    void everyLineEndsWithLineFeedTheLastOneToo() {
        String body = new String(bulk.body(List.of(signIn, mailbox), "o365-audit"), StandardCharsets.UTF_8);

        assertThat(body).endsWith("}\n");
        String[] lines = body.split("\n", -1);
        assertThat(lines).hasSize(5);
        assertThat(lines[4]).isEmpty();
        assertThat(body).doesNotContain("\r");
    }

    @Test
    void eachRecordIsACreateActionWithItsDocument() throws Exception {
        String[] lines = new String(bulk.body(List.of(signIn, mailbox), "o365-audit"), StandardCharsets.UTF_8).split("\n");

        assertThat(lines[0]).isEqualTo("{\"create\":{\"_index\":\"o365-audit\",\"_id\":\""
                + BulkRequest.documentId(signIn) + "\"}}");
        assertThat(JSON.readTree(lines[1])).isEqualTo(new EcsDocument().toEcs(signIn));
        // the record's own bytes, not a re-serialisation of them
        assertThat(lines[1]).contains("\"o365\":{\"audit\":" + signIn.getRaw().strip() + "}");
        assertThat(lines[2]).isEqualTo("{\"create\":{\"_index\":\"o365-audit\",\"_id\":\""
                + BulkRequest.documentId(mailbox) + "\"}}");
        assertThat(JSON.readTree(lines[3]).at("/event/action").asText()).isEqualTo("Set-Mailbox");
    }

    @Test
    void recordLineBreaksStayEscapedInsideTheirLine() throws Exception {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "632c63c7-551a-4ef8-b043-3012e49e709d");
        String[] lines = new String(bulk.body(List.of(r), "i"), StandardCharsets.UTF_8).split("\n");

        assertThat(lines).hasSize(2);
        JsonNode doc = JSON.readTree(lines[1]);
        assertThat(doc.at("/o365/audit/ModifiedProperties/0/OldValue").asText()).contains("\r\n");
    }

    @Test
    void withoutIndexTheUrlDecides() {
        String first = new String(bulk.body(List.of(signIn), null), StandardCharsets.UTF_8).split("\n")[0];

        assertThat(first).isEqualTo("{\"create\":{\"_id\":\"" + BulkRequest.documentId(signIn) + "\"}}");
    }

    @Test
    void noRecordsIsAnEmptyBody() {
        assertThat(bulk.body(List.of(), "i")).isEmpty();
    }

    @Test
    void documentIdIsTheSha256OfTenantAndRecordId() {
        // printf '%s' '8d4121ed-0008-406d-bff9-0d5bb312183c:2eaee53c-1a71-468b-ae64-3b61f5770600' | sha256sum
        assertThat(BulkRequest.documentId(signIn))
                .isEqualTo("481b259cd2e494523fc5c375b2fbb1a7e71c1a26adc32b92cdd59fa76d3b4090")
                .matches("[0-9a-f]{64}");
    }

    @Test
    void documentIdIsStableAndDiffersPerTenant() {
        String raw = Corpus.line("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
        SinkRecord again = Corpus.record(raw);
        SinkRecord otherTenant = new SinkRecord(2, 9, "11111111-1111-1111-1111-111111111111", "fabrikam",
                again.getContentType(), again.getId(), again.getCreationTime(), again.getCollectedAt(),
                again.getLagSeconds(), again.getWorkload(), again.getRecordType(), again.getRecordTypeName(),
                again.getOperation(), again.getUserId(), again.getClientIp(), again.getApp(), again.getSource(), raw);

        assertThat(BulkRequest.documentId(again)).isEqualTo(BulkRequest.documentId(signIn));
        assertThat(BulkRequest.documentId(otherTenant)).isNotEqualTo(BulkRequest.documentId(signIn));
    }
}
