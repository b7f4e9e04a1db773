package org.o365audit.sink.format;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies the Standard Webhooks way ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature: v1,<base64>} over {@code id.timestamp.body}), so receivers can verify with an
 * existing library, and adds GitHub's {@code X-Hub-Signature-256} for receivers that only know that one.
 * The timestamp is signed, so a captured request cannot be replayed later; the id stays the same on every
 * retry, so receivers can drop duplicates.
 */
public final class WebhookSignature {
    private static final String PREFIX = "whsec_";
    private final byte[] key;
    private final byte[] hubKey;

    /** @param secret {@code whsec_<base64>} as Standard Webhooks issues them, or any other text, used as is */
    public WebhookSignature(String secret) {
        this.key = key(secret);
        // GitHub-style receivers key their HMAC with the secret exactly as configured, prefix and all.
        this.hubKey = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The headers for one attempt: the same id on every retry, a fresh timestamp each time. */
    public Map<String, String> headers(String webhookId, Instant now, byte[] body) {
        long timestamp = now.getEpochSecond();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("webhook-id", webhookId);
        h.put("webhook-timestamp", Long.toString(timestamp));
        h.put("webhook-signature", sign(webhookId, timestamp, body));
        // IETF idempotency-key draft: the value is a structured-field string, hence the quotes.
        h.put("Idempotency-Key", "\"" + webhookId + "\"");
        h.put("X-Hub-Signature-256", hubSignature(body));
        return h;
    }

    /** {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}. */
    public String sign(String webhookId, long timestamp, byte[] body) {
        checkId(webhookId);
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, signedContent(webhookId, Long.toString(timestamp), body)));
    }

    /** {@code sha256=<hex HMAC-SHA256 of the body>}, GitHub's convention. */
    public String hubSignature(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(hubKey, body));
    }

    /**
     * For receivers: true when any {@code v1} signature in the (space-separated) header matches and the
     * timestamp lies within {@code tolerance} of {@code now}. Compare the body exactly as received.
     */
    public static boolean verify(String secret, String webhookId, String timestamp, String signatureHeader,
                                 byte[] body, Instant now, Duration tolerance) {
        if (webhookId == null || timestamp == null || signatureHeader == null || body == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - ts) > tolerance.getSeconds()) {
            return false;
        }
        byte[] expected = hmac(key(secret), signedContent(webhookId, timestamp.trim(), body));
        for (String candidate : signatureHeader.trim().split("\\s+")) {
            if (candidate.startsWith("v1,")) {
                try {
                    if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(3)))) {
                        return true;
                    }
                } catch (IllegalArgumentException notBase64) {
                    // another candidate may still match
                }
            }
        }
        return false;
    }

    /** For receivers of {@code X-Hub-Signature-256}: constant-time comparison of the hex digest. */
    public static boolean verifyHub(String secret, String header, byte[] body) {
        if (header == null || body == null) {
            return false;
        }
        String expected = new WebhookSignature(secret).hubSignature(body);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                header.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] key(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("webhook secret is empty");
        }
        if (!secret.startsWith(PREFIX)) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        byte[] k;
        try {
            k = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // The message names the problem, never the secret.
            throw new IllegalArgumentException("webhook secret starts with whsec_ but the rest is not base64", e);
        }
        if (k.length == 0) {
            throw new IllegalArgumentException("webhook secret has nothing after whsec_");
        }
        return k;
    }

    /** Ids go into the signed text before a '.', so they must not contain one, nor anything unfit for a header. */
    private static void checkId(String id) {
        if (id == null || id.isEmpty() || !id.chars().allMatch(c -> c > 32 && c < 127 && c != '.')) {
            throw new IllegalArgumentException("webhook-id must be printable ASCII without spaces or '.': " + id);
        }
    }

    private static byte[] signedContent(String id, String timestamp, byte[] body) {
        byte[] head = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
