package org.o365audit.it.receivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeBulkEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> NDJSON = Map.of("Content-Type", "application/x-ndjson");
    private FakeBulkEndpoint es;

    @BeforeEach
    void start() {
        es = FakeBulkEndpoint.start();
    }

    @AfterEach
    void stop() {
        assertEquals(List.of(), es.internalErrors());
        es.close();
    }

    @Test
    void createsDocumentsAndRepliesItemByItemInRequestOrder() throws IOException {
        JsonNode reply = bulk("/_bulk", create("o365-audit", "r1", "UserLoggedIn") + create("o365-audit", "r2", "FileAccessed"), 200);

        assertFalse(reply.get("errors").asBoolean());
        assertTrue(reply.get("took").isNumber());
        assertEquals(JSON.readTree("{\"_index\":\"o365-audit\",\"_id\":\"r1\",\"_version\":1,\"result\":\"created\",\"status\":201}"),
                reply.get("items").get(0).get("create"));
        assertEquals("r2", reply.get("items").get(1).get("create").get("_id").asText());
        assertEquals(List.of("r1", "r2"), List.copyOf(es.documents("o365-audit").keySet()));
        assertEquals("FileAccessed", es.documents("o365-audit").get("r2").at("/event/action").asText());
        assertEquals(1, es.requests());
        assertEquals(2, es.itemsReceived());
    }

    @Test
    void createOfAnExistingIdIsAnItemLevel409WithHttp200() {
        bulk("/_bulk", create("o365-audit", "r1", "First"), 200);

        JsonNode reply = bulk("/_bulk", create("o365-audit", "r1", "Second") + create("o365-audit", "r2", "Other"), 200);

        assertTrue(reply.get("errors").asBoolean());
        JsonNode conflict = reply.get("items").get(0).get("create");
        assertEquals(409, conflict.get("status").asInt());
        assertEquals("version_conflict_engine_exception", conflict.at("/error/type").asText());
        assertTrue(conflict.at("/error/reason").asText().contains("document already exists"));
        assertEquals(201, reply.get("items").get(1).get("create").get("status").asInt());
        assertEquals("First", es.documents("o365-audit").get("r1").at("/event/action").asText());
    }

    @Test
    void indexReplacesAnExistingDocument() {
        bulk("/_bulk", create("o365-audit", "r1", "First"), 200);
        String index = "{\"index\":{\"_index\":\"o365-audit\",\"_id\":\"r1\"}}\n{\"event\":{\"action\":\"Second\"}}\n";

        JsonNode item = bulk("/_bulk", index, 200).get("items").get(0).get("index");

        assertEquals(200, item.get("status").asInt());
        assertEquals("updated", item.get("result").asText());
        assertEquals("Second", es.documents("o365-audit").get("r1").at("/event/action").asText());
    }

    @Test
    void theIndexInTheUrlIsTheDefaultAndCrLfIsAllowed() {
        String body = "{\"create\":{\"_id\":\"r1\"}}\r\n{\"a\":1}\r\n{\"create\":{\"_index\":\"other\",\"_id\":\"r2\"}}\n{\"a\":2}\n";

        bulk("/logs-o365.audit-default/_bulk", body, 200);

        assertEquals(1, es.documents("logs-o365.audit-default").size());
        assertEquals(1, es.documents("other").size());
    }

    @Test
    void wireFormatMistakesRefuseTheWholeRequest() {
        String good = create("o365-audit", "r1", "A");
        String withoutFinalNewline = good.substring(0, good.length() - 1);
        String pretty = "{\"create\":{\"_index\":\"o365-audit\",\"_id\":\"r2\"}}\n{\n  \"a\": 1\n}\n";
        String withoutId = "{\"create\":{\"_index\":\"o365-audit\"}}\n{\"a\":1}\n";
        String withoutSource = good + "{\"create\":{\"_index\":\"o365-audit\",\"_id\":\"r3\"}}\n";
        String withoutIndex = "{\"create\":{\"_id\":\"r1\"}}\n{\"a\":1}\n";
        String twoObjectsOnALine = "{\"create\":{\"_index\":\"o365-audit\",\"_id\":\"r1\"}}{\"a\":1}\n{\"a\":1}\n";
        String update = "{\"update\":{\"_index\":\"o365-audit\",\"_id\":\"r1\"}}\n{\"doc\":{\"a\":1}}\n";

        assertEquals("The bulk request must be terminated by a newline [\\n]",
                bulk("/_bulk", withoutFinalNewline, 400).at("/error/reason").asText());
        assertEquals("x_content_parse_exception", bulk("/_bulk", good + pretty, 400).at("/error/type").asText());
        assertEquals("action_request_validation_exception", bulk("/_bulk", good + withoutId, 400).at("/error/type").asText());
        assertEquals(400, bulk("/_bulk", withoutSource, 400).get("status").asInt());
        assertEquals("action_request_validation_exception", bulk("/_bulk", withoutIndex, 400).at("/error/type").asText());
        assertEquals(400, bulk("/_bulk", twoObjectsOnALine, 400).get("status").asInt());
        assertEquals(400, bulk("/_bulk", update, 400).get("status").asInt());
        assertEquals(400, bulk("/_bulk", "", 400).get("status").asInt());
        assertTrue(es.indices().isEmpty(), "nothing stored from a refused request");
    }

    @Test
    void anIdOver512BytesIsRefused() {
        String id = "x".repeat(513);
        JsonNode reply = bulk("/_bulk", "{\"create\":{\"_index\":\"i\",\"_id\":\"" + id + "\"}}\n{}\n", 400);

        assertTrue(reply.at("/error/reason").asText().contains("too long"));
    }

    @Test
    void requiresTheNdjsonContentType() {
        HttpResponse<String> response = TestHttp.post(es.url() + "/_bulk", create("i", "r1", "A"),
                Map.of("Content-Type", "application/json"));

        assertEquals(406, response.statusCode());
        assertTrue(es.indices().isEmpty());
    }

    @Test
    void refusesChunkedBodies() {
        byte[] body = create("i", "r1", "A").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = TestHttp.send(es.url() + "/_bulk",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)), NDJSON);

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(es.indices().isEmpty());
    }

    @Test
    void throttledItemsGet429AndAreNotStored() {
        es.throttleItems(1);

        JsonNode reply = bulk("/_bulk", create("i", "r1", "A") + create("i", "r2", "B"), 200);

        assertTrue(reply.get("errors").asBoolean());
        assertEquals(429, reply.at("/items/0/create/status").asInt());
        assertEquals("es_rejected_execution_exception", reply.at("/items/0/create/error/type").asText());
        assertEquals(201, reply.at("/items/1/create/status").asInt());
        assertEquals(List.of("r2"), List.copyOf(es.documents("i").keySet()));
        assertEquals(Map.of(429, 1, 201, 1), es.itemStatuses());
    }

    @Test
    void rejectedDocumentsGetMapperParsingException() {
        es.rejectWhen(doc -> doc.at("/event/action").asText().equals("Bad"));

        JsonNode reply = bulk("/_bulk", create("i", "r1", "Bad") + create("i", "r2", "Good"), 200);

        assertEquals(400, reply.at("/items/0/create/status").asInt());
        assertEquals("mapper_parsing_exception", reply.at("/items/0/create/error/type").asText());
        assertEquals(List.of("r2"), List.copyOf(es.documents("i").keySet()));

        es.rejectWhen(doc -> false);
        assertEquals(201, bulk("/_bulk", create("i", "r1", "Bad"), 200).at("/items/0/create/status").asInt());
    }

    @Test
    void aDocumentWithAFieldTwiceIsRefusedAsElasticsearchDoes() {
        String twice = "{\"create\":{\"_index\":\"i\",\"_id\":\"r1\"}}\n"
                + "{\"event\":{\"action\":\"A\"},\"o365\":{\"audit\":{\"Id\":\"1\",\"Id\":\"2\"}}}\n";

        JsonNode reply = bulk("/_bulk", twice + create("i", "r2", "Good"), 200);

        assertEquals(400, reply.at("/items/0/create/status").asInt());
        assertEquals("mapper_parsing_exception", reply.at("/items/0/create/error/type").asText());
        assertTrue(reply.at("/items/0/create/error/reason").asText().contains("Duplicate field 'Id'"));
        assertEquals(List.of("r2"), List.copyOf(es.documents("i").keySet()));
        assertEquals(1, es.documentCount("i"));
    }

    @Test
    void wholeRequestsCanBeRefusedThenItRecovers() {
        es.failWholeRequests(1, 503);

        assertEquals(503, bulk("/_bulk", create("i", "r1", "A"), 503).get("status").asInt());
        bulk("/_bulk", create("i", "r1", "A"), 200);

        assertEquals(1, es.documents("i").size());
        assertEquals(2, es.requests());
        assertEquals(1, es.itemsReceived());
    }

    @Test
    void authorizationCanBeRequired() {
        es.requireAuthorization("ApiKey c2VjcmV0");

        assertEquals(401, TestHttp.post(es.url() + "/_bulk", create("i", "r1", "A"), NDJSON).statusCode());
        assertEquals(200, TestHttp.post(es.url() + "/_bulk", create("i", "r1", "A"),
                Map.of("Content-Type", "application/x-ndjson", "Authorization", "ApiKey c2VjcmV0")).statusCode());
    }

    @Test
    void awaitDocumentsFailsWhenTooFewArrive() {
        bulk("/_bulk", create("i", "r1", "A"), 200);

        assertEquals(1, es.awaitDocuments("i", 1, Duration.ofSeconds(1)).size());
        assertThrows(AssertionError.class, () -> es.awaitDocuments("i", 2, Duration.ofMillis(200)));
    }

    private JsonNode bulk(String path, String body, int expectedStatus) {
        HttpResponse<String> response = TestHttp.post(es.url() + path, body, NDJSON);
        assertEquals(expectedStatus, response.statusCode(), response.body());
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("reply is not JSON: " + response.body(), e);
        }
    }

    private static String create(String index, String id, String action) {
        return "{\"create\":{\"_index\":\"" + index + "\",\"_id\":\"" + id + "\"}}\n"
                + "{\"@timestamp\":\"2024-05-01T12:00:00Z\",\"event\":{\"action\":\"" + action + "\"},\"o365\":{\"audit\":{\"Id\":\""
                + id + "\"}}}\n";
    }
}
