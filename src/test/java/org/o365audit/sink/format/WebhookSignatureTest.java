package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    // Standard Webhooks' published test vector.
    private static final String STD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String STD_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long STD_TIMESTAMP = 1614265330;
    private static final byte[] STD_BODY = bytes("{\"test\": 2432232314}");
    private static final String STD_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void reproducesGitHubsTestVector() {
        WebhookSignature s = new WebhookSignature("It's a Secret to Everybody");

        assertThat(s.hubSignature(bytes("Hello, World!")))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void reproducesTheStandardWebhooksTestVector() {
        assertThat(new WebhookSignature(STD_SECRET).sign(STD_ID, STD_TIMESTAMP, STD_BODY)).isEqualTo(STD_SIGNATURE);
    }

    @Test
    void secretWithoutPrefixIsUsedAsUtf8Text() {
        // openssl: printf '%s' 'b-1.1714564800.{}' | openssl dgst -sha256 -hmac 'test-secret' -binary | base64
        assertThat(new WebhookSignature("test-secret").sign("b-1", 1714564800L, bytes("{}")))
                .isEqualTo("v1,KDRDiodEznjCWZ7jD4idDbrowmCLru4VVACaWKLfL3g=");
    }

    @Test
    void headersCarryIdTimestampBothSignaturesAndIdempotencyKey() {
        WebhookSignature s = new WebhookSignature(STD_SECRET);
        Map<String, String> h = s.headers(STD_ID, Instant.ofEpochSecond(STD_TIMESTAMP, 999_000_000), STD_BODY);

        assertThat(h).containsExactly(
                Map.entry("webhook-id", STD_ID),
                Map.entry("webhook-timestamp", "1614265330"),
                Map.entry("webhook-signature", STD_SIGNATURE),
                Map.entry("Idempotency-Key", "\"" + STD_ID + "\""),
                Map.entry("X-Hub-Signature-256", s.hubSignature(STD_BODY)));
    }

    @Test
    void hubSignatureKeysWithTheSecretAsWritten() {
        // A GitHub-style receiver configured with "whsec_..." HMACs with that text, not its base64 decoding:
        // printf '%s' '{"test": 2432232314}' | openssl dgst -sha256 -hmac 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
        assertThat(new WebhookSignature(STD_SECRET).hubSignature(STD_BODY))
                .isEqualTo("sha256=80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c");
    }

    @Test
    void retriesKeepTheIdAndSignAFreshTimestamp() {
        WebhookSignature s = new WebhookSignature(STD_SECRET);
        Map<String, String> first = s.headers("b-1", Instant.ofEpochSecond(1714564800), STD_BODY);
        Map<String, String> retry = s.headers("b-1", Instant.ofEpochSecond(1714564860), STD_BODY);

        assertThat(retry.get("webhook-id")).isEqualTo(first.get("webhook-id"));
        assertThat(retry.get("webhook-timestamp")).isEqualTo("1714564860");
        assertThat(retry.get("webhook-signature")).isNotEqualTo(first.get("webhook-signature"));
    }

    @Test
    void receiverAcceptsWhatWeSend() {
        Instant now = Instant.ofEpochSecond(1714564800);
        Map<String, String> h = new WebhookSignature(STD_SECRET).headers("b-1", now, STD_BODY);

        assertThat(WebhookSignature.verify(STD_SECRET, h.get("webhook-id"), h.get("webhook-timestamp"),
                h.get("webhook-signature"), STD_BODY, now.plusSeconds(30), FIVE_MINUTES)).isTrue();
        assertThat(WebhookSignature.verifyHub(STD_SECRET, h.get("X-Hub-Signature-256"), STD_BODY)).isTrue();
    }

    @Test
    void receiverAcceptsTheStandardVector() {
        assertThat(WebhookSignature.verify(STD_SECRET, STD_ID, "1614265330", STD_SIGNATURE, STD_BODY,
                Instant.ofEpochSecond(STD_TIMESTAMP), FIVE_MINUTES)).isTrue();
    }

    @Test
    void receiverRejectsAChangedBody() {
        assertThat(WebhookSignature.verify(STD_SECRET, STD_ID, "1614265330", STD_SIGNATURE, bytes("{\"test\": 2432232315}"),
                Instant.ofEpochSecond(STD_TIMESTAMP), FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verifyHub("It's a Secret to Everybody",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", bytes("Hello, World?"))).isFalse();
    }

    @Test
    void receiverRejectsAnotherIdOrTimestamp() {
        Instant at = Instant.ofEpochSecond(STD_TIMESTAMP);
        assertThat(WebhookSignature.verify(STD_SECRET, "msg_other", "1614265330", STD_SIGNATURE, STD_BODY, at, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(STD_SECRET, STD_ID, "1614265331", STD_SIGNATURE, STD_BODY, at, FIVE_MINUTES)).isFalse();
    }

    @Test
    void receiverRejectsAReplayOutsideTheTolerance() {
        assertThat(WebhookSignature.verify(STD_SECRET, STD_ID, "1614265330", STD_SIGNATURE, STD_BODY,
                Instant.ofEpochSecond(STD_TIMESTAMP).plus(Duration.ofMinutes(6)), FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(STD_SECRET, STD_ID, "1614265330", STD_SIGNATURE, STD_BODY,
                Instant.ofEpochSecond(STD_TIMESTAMP).minus(Duration.ofMinutes(6)), FIVE_MINUTES)).isFalse();
    }

    @Test
    void receiverAcceptsAnyOfSeveralSignaturesForKeyRotation() {
        String header = "v1,bm9wZQ== v1a,ignored v1,not*base64 " + STD_SIGNATURE;

        assertThat(WebhookSignature.verify(STD_SECRET, STD_ID, "1614265330", header, STD_BODY,
                Instant.ofEpochSecond(STD_TIMESTAMP), FIVE_MINUTES)).isTrue();
    }

    @Test
    void receiverRejectsGarbage() {
        Instant at = Instant.ofEpochSecond(STD_TIMESTAMP);
        assertThat(WebhookSignature.verify(STD_SECRET, STD_ID, "soon", STD_SIGNATURE, STD_BODY, at, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(STD_SECRET, STD_ID, "1614265330", "", STD_BODY, at, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verify(STD_SECRET, STD_ID, "1614265330", null, STD_BODY, at, FIVE_MINUTES)).isFalse();
        assertThat(WebhookSignature.verifyHub("s", "sha256=zz", STD_BODY)).isFalse();
    }

    @Test
    void idWithDotOrSpaceIsRefused() {
        WebhookSignature s = new WebhookSignature(STD_SECRET);

        assertThatThrownBy(() -> s.sign("a.b", 1, STD_BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.sign("a b", 1, STD_BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.sign("", 1, STD_BODY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badSecretsAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> new WebhookSignature("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookSignature("whsec_")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nothing after whsec_");
        assertThatThrownBy(() -> new WebhookSignature("whsec_s3cr3t!!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not base64")
                .hasMessageNotContaining("s3cr3t");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
