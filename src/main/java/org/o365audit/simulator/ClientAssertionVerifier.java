package org.o365audit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Checks a certificate client assertion (RFC 7523 JWT) the way Entra ID does: the signature must
 * verify with a certificate registered on the app, {@code iss} and {@code sub} must be the client id,
 * the audience must name this tenant's endpoint and the assertion must be within its validity window.
 */
final class ClientAssertionVerifier {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static final Duration SKEW = Duration.ofMinutes(5);

    private ClientAssertionVerifier() {
    }

    /**
     * @param wallNow real time: the client stamps {@code exp}/{@code nbf} from its own wall clock,
     *                which a test's simulated clock must not invalidate
     */
    static void verify(String assertion, String clientId, String tenantId, List<X509Certificate> certificates,
                       Instant wallNow) {
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            throw malformed();
        }
        JsonNode header = decodeJson(parts[0]);
        JsonNode claims = decodeJson(parts[1]);
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(parts[2]);
        if (certificates.isEmpty()) {
            throw new EntraError(401, "invalid_client", 700027,
                    "Client assertion failed signature validation. No certificate is registered on application '"
                            + clientId + "'.");
        }
        String alg = header.path("alg").asText();
        if (certificates.stream().noneMatch(c -> signatureVerifies(alg, c, signed, signature))) {
            throw new EntraError(401, "invalid_client", 700027, "Client assertion contains an invalid signature.");
        }
        if (!clientId.equals(claims.path("iss").asText()) || !clientId.equals(claims.path("sub").asText())) {
            throw new EntraError(401, "invalid_client", 700021,
                    "Client assertion application identifier doesn't match 'client_id' parameter.");
        }
        if (!audienceNamesTenant(claims.path("aud"), tenantId)) {
            throw new EntraError(401, "invalid_client", 700023,
                    "Client assertion audience claim does not match Realm issuer.");
        }
        long exp = claims.path("exp").asLong(0);
        long nbf = claims.path("nbf").asLong(0);
        if (exp == 0 || Instant.ofEpochSecond(exp).plus(SKEW).isBefore(wallNow)
                || Instant.ofEpochSecond(nbf).minus(SKEW).isAfter(wallNow)) {
            throw new EntraError(401, "invalid_client", 700024,
                    "Client assertion is not within its valid time range.");
        }
    }

    private static boolean signatureVerifies(String alg, X509Certificate cert, byte[] signed, byte[] signature) {
        try {
            Signature verifier = switch (alg) {
                case "RS256" -> Signature.getInstance("SHA256withRSA");
                case "PS256" -> {
                    Signature pss = Signature.getInstance("RSASSA-PSS");
                    pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                    yield pss;
                }
                default -> null;
            };
            if (verifier == null) {
                return false;
            }
            verifier.initVerify(cert.getPublicKey());
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The audience is the token endpoint (or issuer) of this tenant: its path starts with /{tenantId}/. */
    private static boolean audienceNamesTenant(JsonNode aud, String tenantId) {
        List<String> values = new ArrayList<>();
        if (aud.isArray()) {
            aud.forEach(a -> values.add(a.asText()));
        } else if (aud.isTextual()) {
            values.add(aud.asText());
        }
        return values.stream().anyMatch(v -> pathOf(v).startsWith("/" + tenantId + "/"));
    }

    private static String pathOf(String uri) {
        try {
            String path = URI.create(uri).getPath();
            return path == null ? "" : path;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static JsonNode decodeJson(String part) {
        try {
            JsonNode node = Json.MAPPER.readTree(decode(part));
            if (node == null || !node.isObject()) {
                throw malformed();
            }
            return node;
        } catch (IOException e) {
            throw malformed();
        }
    }

    private static byte[] decode(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static EntraError malformed() {
        return new EntraError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
    }
}
