package org.o365audit.it.receivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeSplunkHecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "11111111-2222-3333-4444-555555555555";
    private FakeSplunkHec hec;

    @BeforeEach
    void start() {
        hec = FakeSplunkHec.start(TOKEN);
    }

    @AfterEach
    void stop() {
        assertEquals(List.of(), hec.internalErrors());
        hec.close();
    }

    @Test
    void indexesConcatenatedEnvelopesAndAnswersSuccess() throws IOException {
        JsonNode reply = send(envelope("r1") + "\n" + envelope("r2") + "  \r\n\t" + envelope("r3"), 200);

        assertEquals(JSON.readTree("{\"text\":\"Success\",\"code\":0}"), reply);
        assertEquals(List.of("r1", "r2", "r3"), ids(hec.events()));
        assertEquals("o365:management:activity", hec.events().get(0).get("sourcetype").asText());
        assertEquals(1, hec.requests());
        assertEquals(1, hec.acceptedRequests());
    }

    @Test
    void refusesMissingMalformedAndWrongTokensWithSplunksCodes() {
        String body = envelope("r1");

        assertEquals(2, code(TestHttp.post(hec.url(), body, Map.of()), 401));
        assertEquals(3, code(TestHttp.post(hec.url(), body, Map.of("Authorization", "Bearer " + TOKEN)), 401));
        assertEquals(4, code(TestHttp.post(hec.url(), body, Map.of("Authorization", "Splunk wrong")), 403));
        assertTrue(hec.events().isEmpty());
    }

    @Test
    void aJsonArrayIsNotABatch() {
        JsonNode reply = send("[" + envelope("r1") + "," + envelope("r2") + "]", 400);

        assertEquals(6, reply.get("code").asInt());
        assertEquals(0, reply.get("invalid-event-number").asInt());
        assertTrue(hec.events().isEmpty());
    }

    @Test
    void commasBetweenEnvelopesBreakTheBatchAfterTheFirst() {
        JsonNode reply = send(envelope("r1") + "," + envelope("r2"), 400);

        assertEquals(6, reply.get("code").asInt());
        assertEquals(1, reply.get("invalid-event-number").asInt());
        assertEquals(List.of("r1"), ids(hec.events()));
    }

    @Test
    void timeInMillisecondsIsRefusedAtItsPositionAndTheEventsBeforeItAreIndexed() {
        String millis = "{\"time\":1714564800000,\"event\":{\"Id\":\"r2\"}}";

        JsonNode reply = send(envelope("r1") + "\n" + millis + "\n" + envelope("r3"), 400);

        assertEquals("Invalid data format", reply.get("text").asText());
        assertEquals(6, reply.get("code").asInt());
        assertEquals(1, reply.get("invalid-event-number").asInt());
        assertEquals(List.of("r1"), ids(hec.events()));
        assertTrue(hec.rejections().get(0).contains("milliseconds"), hec.rejections().toString());
    }

    @Test
    void timeMustBeANumber() {
        assertEquals(6, send("{\"time\":\"1714564800\",\"event\":{\"Id\":\"r1\"}}", 400).get("code").asInt());
        assertEquals(6, send("{\"event\":{\"Id\":\"r1\"}}", 400).get("code").asInt());
    }

    @Test
    void eventMustBePresentAndNotBlank() {
        assertEquals(12, send("{\"time\":1714564800}", 400).get("code").asInt());
        assertEquals(13, send("{\"time\":1714564800,\"event\":\"\"}", 400).get("code").asInt());
        assertEquals(13, send("{\"time\":1714564800,\"event\":{}}", 400).get("code").asInt());
        assertEquals(5, send("  \n", 400).get("code").asInt());
    }

    @Test
    void metadataMustBeStringsAndFieldsFlat() {
        String nested = "{\"time\":1714564800,\"event\":{\"Id\":\"r1\"},\"fields\":{\"tenant\":{\"id\":\"t1\"}}}";
        String numbers = "{\"time\":1714564800,\"event\":{\"Id\":\"r1\"},\"fields\":{\"count\":[1,2]}}";
        String flat = "{\"time\":1714564800.25,\"event\":{\"Id\":\"r1\"},\"fields\":{\"tenant\":\"t1\",\"ws\":[\"a\",\"b\"]}}";

        assertEquals(15, send(nested, 400).get("code").asInt());
        assertEquals(15, send(numbers, 400).get("code").asInt());
        assertEquals(6, send("{\"time\":1714564800,\"event\":{\"Id\":\"r1\"},\"host\":7}", 400).get("code").asInt());
        assertEquals(0, send(flat, 200).get("code").asInt());
    }

    @Test
    void onlyAllowedIndexesAreAccepted() {
        hec.allowIndexes("o365");
        String other = "{\"time\":1714564800,\"index\":\"main\",\"event\":{\"Id\":\"r2\"}}";

        assertEquals(7, send(envelope("r1") + other, 400).get("code").asInt());
        assertEquals(List.of("r1"), ids(hec.events()));
    }

    @Test
    void failNextAnswersServerIsBusyThenRecovers() {
        hec.failNext(2, 503);

        assertEquals(9, send(envelope("r1"), 503).get("code").asInt());
        assertEquals(9, send(envelope("r1"), 503).get("code").asInt());
        assertEquals(0, send(envelope("r1"), 200).get("code").asInt());
        assertEquals(List.of("r1"), ids(hec.events()));
        assertEquals(3, hec.requests());
    }

    @Test
    void rejectEventOnceRefusesTheFirstMatchWithItsNumberAndThenLetsItThrough() {
        hec.rejectEventOnce(e -> e.path("event").path("Id").asText().equals("r2"));

        JsonNode reply = send(envelope("r1") + envelope("r2") + envelope("r3"), 400);
        assertEquals(6, reply.get("code").asInt());
        assertEquals(1, reply.get("invalid-event-number").asInt());
        assertEquals(List.of("r1"), ids(hec.events()));

        send(envelope("r3"), 200);
        send(envelope("r2"), 200);
        assertEquals(List.of("r1", "r3", "r2"), ids(hec.events()));
    }

    @Test
    void rejectEventsRefusesAPoisonEventEveryTime() {
        hec.rejectEvents(e -> e.path("event").path("Id").asText().equals("bad"));

        assertEquals(0, send(envelope("bad") + envelope("r1"), 400).get("invalid-event-number").asInt());
        assertEquals(0, send(envelope("bad"), 400).get("invalid-event-number").asInt());
        assertTrue(hec.events().isEmpty());

        hec.rejectEvents(e -> false);
        assertEquals(0, send(envelope("bad"), 200).get("code").asInt());
    }

    @Test
    void acceptsGzipBodies() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write((envelope("r1") + envelope("r2")).getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = TestHttp.post(hec.url(), zipped.toByteArray(),
                Map.of("Authorization", "Splunk " + TOKEN, "Content-Encoding", "gzip"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of("r1", "r2"), ids(hec.events()));
    }

    @Test
    void awaitEventsFailsWhenTooFewArrive() {
        send(envelope("r1"), 200);

        assertEquals(1, hec.awaitEvents(1, Duration.ofSeconds(1)).size());
        assertThrows(AssertionError.class, () -> hec.awaitEvents(2, Duration.ofMillis(200)));
    }

    @Test
    void reportsHealthWithoutAToken() throws IOException {
        HttpResponse<String> health = TestHttp.get(hec.baseUrl() + "/services/collector/health");

        assertEquals(200, health.statusCode());
        assertEquals(17, JSON.readTree(health.body()).get("code").asInt());
    }

    private JsonNode send(String body, int expectedStatus) {
        HttpResponse<String> response = TestHttp.post(hec.url(), body, Map.of("Authorization", "Splunk " + TOKEN));
        assertEquals(expectedStatus, response.statusCode(), response.body());
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("reply is not JSON: " + response.body(), e);
        }
    }

    private static int code(HttpResponse<String> response, int expectedStatus) {
        assertEquals(expectedStatus, response.statusCode(), response.body());
        try {
            JsonNode reply = JSON.readTree(response.body());
            assertFalse(reply.has("invalid-event-number"), response.body());
            return reply.get("code").asInt();
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static String envelope(String id) {
        return "{\"time\":1714564800.5,\"host\":\"o365-collector\",\"source\":\"Audit.Exchange\","
                + "\"sourcetype\":\"o365:management:activity\",\"index\":\"o365\",\"event\":{\"Id\":\"" + id
                + "\",\"Operation\":\"MailItemsAccessed\",\"UserId\":\"zoë@contoso.com\"}}";
    }

    private static List<String> ids(List<ObjectNode> events) {
        return events.stream().map(e -> e.get("event").get("Id").asText()).toList();
    }
}
