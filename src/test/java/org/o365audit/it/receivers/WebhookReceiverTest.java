package org.o365audit.it.receivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {

    private static final String SECRET = "test-secret";
    private WebhookReceiver receiver;

    @BeforeEach
    void start() {
        receiver = WebhookReceiver.start("/hook", SECRET);
    }

    @AfterEach
    void stop() {
        assertEquals(0, receiver.internalErrors().size(), () -> "receiver bugs: " + receiver.internalErrors());
        receiver.close();
    }

    @Test
    void signaturesMatchThePublishedTestVectors() {
        assertEquals("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                WebhookSignatures.hub("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)));
        // Standard Webhooks / svix reference vector: the whsec_ secret is base64-decoded before use
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSignatures.standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        "1614265330", "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aWhsecSecretIsDecodedForStandardWebhooksButUsedAsConfiguredForTheHubSignature() {
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        assertEquals("sha256=80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c", // openssl dgst -hmac
                WebhookSignatures.hub("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", body));

        String secret = "whsec_c2luay10ZXN0LXNlY3JldA=="; // "sink-test-secret"
        try (WebhookReceiver whsec = WebhookReceiver.start("/hook", secret)) {
            byte[] batch = batch("b-1", "t1", "r1").getBytes(StandardCharsets.UTF_8);
            String now = String.valueOf(Instant.now().getEpochSecond());
            String standard = WebhookSignatures.standard(secret, "b-1", now, batch);
            String hubWithDecodedKey = WebhookSignatures.hub("sink-test-secret", batch);

            assertEquals(401, TestHttp.post(whsec.url(), batch, headers("b-1", now, standard, hubWithDecodedKey)).statusCode());
            assertEquals(401, TestHttp.post(whsec.url(), batch, headers("b-1", now,
                    WebhookSignatures.standard("whsec_" + "x".repeat(8), "b-1", now, batch),
                    WebhookSignatures.hub(secret, batch))).statusCode());
            assertEquals(200, TestHttp.post(whsec.url(), batch, headers("b-1", now, standard,
                    WebhookSignatures.hub(secret, batch))).statusCode());
        }
    }

    @Test
    void acceptsASignedBatchAndCountsItsRecordsPerTenant() {
        HttpResponse<String> response = deliver("b-1", batch("b-1", "t1", "r1", "t1", "r2", "t2", "r1"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(1, receiver.deliveries());
        assertEquals(3, receiver.recordArrivals());
        assertEquals(3, receiver.distinctRecordCount());
        assertEquals(Set.of("r1", "r2"), receiver.distinctRecordIds());
        assertEquals(Set.of("r1"), receiver.distinctRecordIds("t2"));
        assertEquals(0, receiver.duplicateRecordArrivals());
    }

    @Test
    void acceptsOneOfSeveralSignaturesForKeyRotation() {
        byte[] body = batch("b-1", "t1", "r1").getBytes(StandardCharsets.UTF_8);
        String now = String.valueOf(Instant.now().getEpochSecond());
        String signatures = WebhookSignatures.standard("old-secret", "b-1", now, body) + " "
                + WebhookSignatures.standard(SECRET, "b-1", now, body);

        HttpResponse<String> response = TestHttp.post(receiver.url(), body, Map.of("webhook-id", "b-1",
                "webhook-timestamp", now, "webhook-signature", signatures,
                "X-Hub-Signature-256", WebhookSignatures.hub(SECRET, body)));

        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void refusesBadOrMissingSignaturesWith401AndKeepsNothing() {
        byte[] body = batch("b-1", "t1", "r1").getBytes(StandardCharsets.UTF_8);
        String now = String.valueOf(Instant.now().getEpochSecond());
        String stale = String.valueOf(Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
        String good = WebhookSignatures.standard(SECRET, "b-1", now, body);
        String hub = WebhookSignatures.hub(SECRET, body);
        byte[] tampered = batch("b-1", "t1", "r2").getBytes(StandardCharsets.UTF_8);

        assertEquals(401, post(body, Map.of("webhook-id", "b-1", "webhook-timestamp", now, "X-Hub-Signature-256", hub)));
        assertEquals(401, post(body, Map.of("webhook-id", "b-1", "webhook-timestamp", now, "webhook-signature", good)));
        assertEquals(401, post(body, headers("b-1", now, WebhookSignatures.standard("wrong", "b-1", now, body), hub)));
        assertEquals(401, post(body, headers("b-1", now, good, WebhookSignatures.hub("wrong", body))));
        assertEquals(401, post(tampered, headers("b-1", now, good, hub)));
        assertEquals(401, post(body, headers("b-1", stale, WebhookSignatures.standard(SECRET, "b-1", stale, body), hub)));
        assertEquals(401, post(body, headers("b-2", now, good, hub)));

        assertEquals(7, receiver.rejectedSignatures());
        assertEquals(0, receiver.deliveries());
        assertEquals(0, receiver.recordArrivals());
    }

    @Test
    void hubSignatureCanBeMadeOptionalButIsCheckedWhenSent() {
        receiver.requireHubSignature(false);
        byte[] body = batch("b-1", "t1", "r1").getBytes(StandardCharsets.UTF_8);
        String now = String.valueOf(Instant.now().getEpochSecond());
        String good = WebhookSignatures.standard(SECRET, "b-1", now, body);

        assertEquals(401, post(body, headers("b-1", now, good, "sha256=00")));
        assertEquals(200, post(body, Map.of("webhook-id", "b-1", "webhook-timestamp", now, "webhook-signature", good)));
    }

    @Test
    void aRepeatedWebhookIdIsAnswered200ButItsRecordsAreNotCountedAgain() {
        assertEquals(200, deliver("b-1", batch("b-1", "t1", "r1", "t1", "r2")).statusCode());
        assertEquals(200, deliver("b-1", batch("b-1", "t1", "r1", "t1", "r2")).statusCode());

        assertEquals(1, receiver.deliveries());
        assertEquals(1, receiver.redeliveries());
        assertEquals(2, receiver.redeliveredRecords());
        assertEquals(2, receiver.recordArrivals());
        assertEquals(0, receiver.duplicateRecordArrivals());
        assertEquals(List.of(), receiver.alteredRedeliveries());
    }

    @Test
    void aRepeatedWebhookIdWithOtherRecordsIsAnAlteredRedelivery() {
        deliver("b-1", batch("b-1", "t1", "r1", "t1", "r2"));
        deliver("b-1", batch("b-1", "t1", "r1", "t1", "r3"));

        assertEquals(1, receiver.redeliveries());
        assertEquals(Set.of("r1", "r2"), receiver.distinctRecordIds("t1"));
        assertEquals(List.of("b-1: first 2 record(s), again 2 (other Ids)"), receiver.alteredRedeliveries());
    }

    @Test
    void aHeldAnswerIsSentOnlyOnceReleasedButTheBatchCountsAtOnce() throws Exception {
        WebhookReceiver.HeldAnswer held = receiver.holdNextAnswer();
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(
                () -> deliver("b-1", batch("b-1", "t1", "r1")));

        assertTrue(held.awaitHeld(Duration.ofSeconds(10)));
        assertEquals("b-1", held.webhookId());
        assertEquals(1, receiver.deliveries());
        assertFalse(answer.isDone());
        held.release();
        assertEquals(200, answer.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(200, deliver("b-2", batch("b-2", "t1", "r2")).statusCode());   // one hold only
    }

    @Test
    void aHoldReleasedBeforeAnyBatchCameIsDisarmed() throws Exception {
        WebhookReceiver.HeldAnswer held = receiver.holdNextAnswer();
        assertFalse(held.awaitHeld(Duration.ofMillis(50)));
        held.release();

        assertEquals(200, deliver("b-1", batch("b-1", "t1", "r1")).statusCode());
        assertNull(held.webhookId());
    }

    @Test
    void aRecordInTwoDifferentBatchesIsADuplicateArrival() {
        deliver("b-1", batch("b-1", "t1", "r1", "t1", "r2"));
        deliver("b-2", batch("b-2", "t1", "r2", "t2", "r2"));

        assertEquals(2, receiver.deliveries());
        assertEquals(4, receiver.recordArrivals());
        assertEquals(3, receiver.distinctRecordCount());
        assertEquals(1, receiver.duplicateRecordArrivals());
        assertEquals("t1/r2 in b-1 and b-2", receiver.duplicates().get(0));
    }

    @Test
    void aBodyThatIsNotABatchIsRefusedWith400() {
        assertEquals(400, deliver("b-1", "{\"batchId\":\"b-1\",\"records\":[{\"tenantId\":\"t1\",\"record\":{}}]}").statusCode());
        assertEquals(400, deliver("b-1", "{\"batchId\":\"other\",\"records\":[]}").statusCode());
        assertEquals(400, deliver("b-1", "{\"batchId\":\"b-1\",\"count\":2,\"records\":[]}").statusCode());
        assertEquals(400, deliver("b-1", "[]").statusCode());

        assertEquals(4, receiver.malformedBatches());
        assertEquals(0, receiver.deliveries());
    }

    @Test
    void scriptedStatusesAnswerTheNextRequestsThenItRecovers() {
        receiver.respondWith(503, 1);
        receiver.respondWith(429, 1);
        receiver.respondWith(400, 1);
        assertEquals(3, receiver.scriptedResponses());
        String body = batch("b-1", "t1", "r1");

        HttpResponse<String> busy = deliver("b-1", body);
        HttpResponse<String> throttled = deliver("b-1", body);
        HttpResponse<String> refused = deliver("b-1", body);
        HttpResponse<String> accepted = deliver("b-1", body);

        assertEquals(503, busy.statusCode());
        assertEquals(429, throttled.statusCode());
        assertEquals("1", throttled.headers().firstValue("Retry-After").orElse(null));
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("\"error\""), refused.body());
        assertEquals(200, accepted.statusCode());
        assertEquals(1, receiver.deliveries());
        assertEquals(0, receiver.redeliveries());
        assertEquals(3, receiver.scriptedResponsesGiven());
        assertEquals(0, receiver.scriptedResponses());
    }

    @Test
    void goDownRefusesConnectionsAndComeBackListensOnTheSamePort() throws IOException {
        int port = receiver.port();
        receiver.goDown();

        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());

        receiver.comeBack();
        assertEquals(port, receiver.port());
        assertEquals(200, deliver("b-1", batch("b-1", "t1", "r1")).statusCode());
    }

    @Test
    void awaitRecordsReturnsOnceEnoughArrivedAndFailsOtherwise() {
        deliver("b-1", batch("b-1", "t1", "r1", "t1", "r2"));

        assertEquals(Set.of("r1", "r2"), receiver.awaitRecords(2, Duration.ofSeconds(1)));
        AssertionError tooFew = assertThrows(AssertionError.class, () -> receiver.awaitRecords(3, Duration.ofMillis(200)));
        assertTrue(tooFew.getMessage().contains("expected 3 distinct records"), tooFew.getMessage());
    }

    private HttpResponse<String> deliver(String id, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String now = String.valueOf(Instant.now().getEpochSecond());
        return TestHttp.post(receiver.url(), body, headers(id, now, WebhookSignatures.standard(SECRET, id, now, body),
                WebhookSignatures.hub(SECRET, body)));
    }

    private int post(byte[] body, Map<String, String> headers) {
        return TestHttp.post(receiver.url(), body, headers).statusCode();
    }

    private static Map<String, String> headers(String id, String timestamp, String signature, String hub) {
        return Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", signature,
                "X-Hub-Signature-256", hub, "Content-Type", "application/json");
    }

    /** A batch body; {@code tenantAndIds} alternates tenantId, record Id. */
    private static String batch(String batchId, String... tenantAndIds) {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < tenantAndIds.length; i += 2) {
            records.append(i == 0 ? "" : ",").append("{\"tenantId\":\"").append(tenantAndIds[i])
                    .append("\",\"contentType\":\"Audit.General\",\"record\":{\"Id\":\"").append(tenantAndIds[i + 1])
                    .append("\",\"Operation\":\"UserLoggedIn\",\"City\":\"Zürich\"}}");
        }
        return "{\"batchId\":\"" + batchId + "\",\"sink\":\"hook\",\"count\":" + tenantAndIds.length / 2
                + ",\"records\":[" + records + "]}";
    }
}
