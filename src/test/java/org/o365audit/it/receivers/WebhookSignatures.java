package org.o365audit.it.receivers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two webhook signatures of siem-formats.md §6, over the raw body bytes: Standard Webhooks
 * ({@code webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>}, several space-separated
 * signatures allowed for key rotation) and GitHub's {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(key, body)>}.
 * The Standard Webhooks key is the secret's UTF-8 bytes, or for a {@code whsec_} secret the base64-decoded rest;
 * the GitHub-style key is always the secret's UTF-8 bytes exactly as configured (prefix and all), as GitHub
 * receivers key their HMAC with the configured text.
 */
public final class WebhookSignatures {

    private WebhookSignatures() {
    }

    /** The Standard Webhooks key. */
    public static byte[] key(String secret) {
        if (secret.startsWith("whsec_")) {
            return Base64.getDecoder().decode(secret.substring("whsec_".length()));
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The GitHub-style key: the configured secret's UTF-8 bytes, never decoded. */
    public static byte[] hubKey(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code webhook-signature} header value, {@code v1,<base64>}. */
    public static String standard(String secret, String id, String timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(key(secret), standardContent(id, timestamp, body)));
    }

    /** The {@code X-Hub-Signature-256} header value, {@code sha256=<hex>}. */
    public static String hub(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(hubKey(secret), body));
    }

    /** True if any {@code v1,} entry of the header matches; compared in constant time. */
    static boolean standardMatches(byte[] key, String header, String id, String timestamp, byte[] body) {
        if (header == null || id == null || timestamp == null) {
            return false;
        }
        byte[] expected = hmac(key, standardContent(id, timestamp, body));
        boolean match = false;
        for (String entry : header.trim().split(" +")) {
            if (!entry.startsWith("v1,")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(3));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            match |= MessageDigest.isEqual(expected, given);
        }
        return match;
    }

    static boolean hubMatches(byte[] hubKey, String header, byte[] body) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(hmac(hubKey, body), given);
    }

    private static byte[] standardContent(String id, String timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return content;
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
