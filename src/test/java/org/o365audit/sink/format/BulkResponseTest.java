package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o365audit.sink.format.BulkItemResult.Disposition;

class BulkResponseTest {
    private static final String MIXED = """
            {"took":30,"errors":true,"items":[
             {"create":{"_index":"o365-audit","_id":"a","_version":1,"result":"created","_seq_no":0,"_primary_term":1,"status":201}},
             {"create":{"_index":"o365-audit","_id":"b","status":409,"error":{"type":"version_conflict_engine_exception",
               "reason":"[b]: version conflict, document already exists (current version [1])","index":"o365-audit"}}},
             {"create":{"_index":"o365-audit","_id":"c","status":429,"error":{"type":"es_rejected_execution_exception",
               "reason":"rejected execution of coordinating operation"}}},
             {"create":{"_index":"o365-audit","_id":"d","status":400,"error":{"type":"mapper_parsing_exception",
               "reason":"failed to parse field [o365.audit.Parameters] of type [keyword]"}}},
             {"create":{"_index":"o365-audit","_id":"e","status":503,"error":{"type":"unavailable_shards_exception",
               "reason":"primary shard is not active"}}},
             {"index":{"_index":"o365-audit","_id":"f","status":409,"error":{"type":"version_conflict_engine_exception",
               "reason":"[f]: version conflict"}}},
             {"create":{"_index":"x","_id":"g","status":404,"error":{"type":"index_not_found_exception","reason":"no such index [x]"}}}
            ]}""";

    @Test
    void itemsComeBackInRequestOrderWithStatusAndError() {
        List<BulkItemResult> items = BulkResponse.parse(bytes(MIXED), 7).items();

        assertThat(items).extracting(BulkItemResult::index).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(items).extracting(BulkItemResult::id).containsExactly("a", "b", "c", "d", "e", "f", "g");
        assertThat(items).extracting(BulkItemResult::status).containsExactly(201, 409, 429, 400, 503, 409, 404);
        assertThat(items.get(0).errorType()).isNull();
        assertThat(items.get(3).action()).isEqualTo("create");
        assertThat(items.get(3).errorType()).isEqualTo("mapper_parsing_exception");
        assertThat(items.get(3).errorReason()).isEqualTo("failed to parse field [o365.audit.Parameters] of type [keyword]");
    }

    @Test
    void conflictOnCreateCountsAsStored() {
        BulkItemResult b = BulkResponse.parse(bytes(MIXED), 7).items().get(1);

        assertThat(b.errorType()).isEqualTo("version_conflict_engine_exception");
        assertThat(b.disposition()).isEqualTo(Disposition.STORED);
    }

    @Test
    void conflictOnIndexIsRejected() {
        assertThat(BulkResponse.parse(bytes(MIXED), 7).items().get(5).disposition()).isEqualTo(Disposition.REJECTED);
    }

    @Test
    void tooManyRequestsAndServerErrorsAreRetried() {
        BulkResponse r = BulkResponse.parse(bytes(MIXED), 7);

        assertThat(r.with(Disposition.RETRY)).extracting(BulkItemResult::id).containsExactly("c", "e");
    }

    @Test
    void otherClientErrorsAreRejected() {
        BulkResponse r = BulkResponse.parse(bytes(MIXED), 7);

        assertThat(r.with(Disposition.REJECTED)).extracting(BulkItemResult::id).containsExactly("d", "f");
        assertThat(r.with(Disposition.STORED)).extracting(BulkItemResult::id).containsExactly("a", "b");
        assertThat(r.errors()).isTrue();
        assertThat(r.allStored()).isFalse();
    }

    @Test
    void aMissingIndexIsTheClustersRefusalNotTheDocuments() {
        BulkResponse r = BulkResponse.parse(bytes(MIXED), 7);

        assertThat(r.with(Disposition.REFUSED)).extracting(BulkItemResult::id).containsExactly("g");
    }

    @Test
    void privilegesAndClosedIndicesAreRefusalsToo() {
        String reply = """
                {"errors":true,"items":[
                 {"create":{"_id":"a","status":403,"error":{"type":"security_exception","reason":"action [indices:data/write/bulk[s]] is unauthorized"}}},
                 {"create":{"_id":"b","status":400,"error":{"type":"index_closed_exception","reason":"closed"}}},
                 {"create":{"_id":"c","status":400,"error":{"type":"document_parsing_exception","reason":"[1:2] failed to parse"}}}]}""";
        BulkResponse r = BulkResponse.parse(bytes(reply), 3);

        assertThat(r.with(Disposition.REFUSED)).extracting(BulkItemResult::id).containsExactly("a", "b");
        assertThat(r.with(Disposition.REJECTED)).extracting(BulkItemResult::id).containsExactly("c");
    }

    @Test
    void errorsFalseMeansEverythingStored() {
        String reply = "{\"took\":3,\"errors\":false,\"items\":[{\"create\":{\"_id\":\"a\",\"status\":201}},"
                + "{\"create\":{\"_id\":\"b\",\"status\":201}}]}";
        BulkResponse r = BulkResponse.parse(bytes(reply), 2);

        assertThat(r.errors()).isFalse();
        assertThat(r.allStored()).isTrue();
        assertThat(r.items()).extracting(BulkItemResult::disposition).containsOnly(Disposition.STORED);
        assertThat(r.items()).extracting(BulkItemResult::id).containsExactly("a", "b");
    }

    @Test
    void errorsTrueWithOnlyConflictsOnCreateIsAllStored() {
        String reply = "{\"errors\":true,\"items\":[{\"create\":{\"_id\":\"a\",\"status\":409,"
                + "\"error\":{\"type\":\"version_conflict_engine_exception\",\"reason\":\"exists\"}}}]}";

        assertThat(BulkResponse.parse(bytes(reply), 1).allStored()).isTrue();
    }

    @Test
    void itemCountDifferentFromRequestIsRefused() {
        assertThatThrownBy(() -> BulkResponse.parse(bytes(MIXED), 8))
                .isInstanceOf(MalformedReplyException.class).hasMessageContaining("7 items for 8 actions");
    }

    @Test
    void replyThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> BulkResponse.parse(bytes("<html><body>502 Bad Gateway</body></html>"), 1))
                .isInstanceOf(MalformedReplyException.class).hasMessageContaining("not JSON").hasMessageContaining("502");
    }

    @Test
    void jsonWithoutItemsIsRefused() {
        assertThatThrownBy(() -> BulkResponse.parse(bytes("{\"acknowledged\":true}"), 1))
                .isInstanceOf(MalformedReplyException.class).hasMessageContaining("no items array");
        assertThatThrownBy(() -> BulkResponse.parse(bytes("[1,2]"), 2))
                .isInstanceOf(MalformedReplyException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void wholeRequestErrorIsReportedWithItsTypeAndReason() {
        String reply = "{\"error\":{\"root_cause\":[],\"type\":\"illegal_argument_exception\","
                + "\"reason\":\"The bulk request must be terminated by a newline [\\\\n]\"},\"status\":400}";

        assertThatThrownBy(() -> BulkResponse.parse(bytes(reply), 1))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("status 400")
                .hasMessageContaining("illegal_argument_exception")
                .hasMessageContaining("terminated by a newline");
    }

    @Test
    void itemWithoutStatusIsRefused() {
        assertThatThrownBy(() -> BulkResponse.parse(bytes("{\"errors\":true,\"items\":[{\"create\":{\"_id\":\"a\"}}]}"), 1))
                .isInstanceOf(MalformedReplyException.class).hasMessageContaining("item 0 has no status");
        assertThatThrownBy(() -> BulkResponse.parse(bytes("{\"errors\":true,\"items\":[{\"create\":{},\"index\":{}}]}"), 1))
                .isInstanceOf(MalformedReplyException.class).hasMessageContaining("item 0");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
