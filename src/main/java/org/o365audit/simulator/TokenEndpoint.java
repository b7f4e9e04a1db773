package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Entra ID's client-credentials token endpoint ({@code POST /{tenant}/oauth2/v2.0/token}, and the v1
 * {@code /oauth2/token}) for a simulated tenant. Accepts a client secret or a certificate-signed client
 * assertion; extra parameters a library sends (client_info, claims, ...) are ignored as Entra does.
 */
final class TokenEndpoint {

    private TokenEndpoint() {
    }

    static SimResponse handle(SimRequest request, String tenantId, SimulatedTenant tenant, boolean v2) {
        Instant now = tenant != null ? tenant.clock().instant() : Instant.now();
        try {
            return issue(request, tenantId, tenant, v2);
        } catch (EntraError e) {
            return e.toResponse(now);
        }
    }

    private static SimResponse issue(SimRequest request, String tenantId, SimulatedTenant tenant, boolean v2) {
        if (!"POST".equals(request.method())) {
            throw new EntraError(400, "invalid_request", 900561,
                    "The endpoint only accepts POST requests. Received a " + request.method() + " request.");
        }
        if (tenant == null) {
            throw new EntraError(400, "invalid_request", 90002, "Tenant '" + tenantId
                    + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
        }
        Map<String, String> form = request.form();
        String grantType = required(form, "grant_type");
        if (!"client_credentials".equals(grantType)) {
            throw new EntraError(400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.");
        }
        String clientId = required(form, "client_id");
        if (v2) {
            checkScope(required(form, "scope"));
        }
        TenantCredentials credentials = tenant.credentials();
        if (!credentials.isRegistered(clientId)) {
            throw new EntraError(400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenantId + "'.");
        }
        authenticate(form, clientId, tenantId, credentials);
        String token = credentials.issue(clientId, tenant.clock().instant());
        long expiresIn = credentials.advertisedLifetime().toSeconds();
        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        body.put("expires_in", expiresIn);
        body.put("ext_expires_in", expiresIn);
        body.put("access_token", token);
        return SimResponse.json(200, body)
                .header("Cache-Control", "no-store, no-cache")
                .header("Pragma", "no-cache");
    }

    private static void authenticate(Map<String, String> form, String clientId, String tenantId,
                                     TenantCredentials credentials) {
        String secret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        if (secret != null) {
            if (!credentials.secretMatches(clientId, secret)) {
                throw new EntraError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the"
                        + " secret being sent in the request is the client secret value, not the client secret ID,"
                        + " for a secret added to app '" + clientId + "'.");
            }
        } else if (assertion != null) {
            if (!ClientAssertionVerifier.JWT_BEARER.equals(form.get("client_assertion_type"))) {
                throw missing("client_assertion_type");
            }
            ClientAssertionVerifier.verify(assertion, clientId, tenantId, credentials.certificates(clientId),
                    Instant.now());
        } else {
            throw new EntraError(401, "invalid_client", 7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
    }

    /** Client credentials need a {@code <resource>/.default} scope. */
    private static void checkScope(String scope) {
        if (Arrays.stream(scope.trim().split("\\s+")).noneMatch(s -> s.endsWith("/.default"))) {
            throw new EntraError(400, "invalid_scope", 1002012, "The provided value for scope " + scope
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed"
                    + " to the resource identifier (application ID URI).");
        }
    }

    private static String required(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            throw missing(name);
        }
        return value;
    }

    private static EntraError missing(String name) {
        return new EntraError(400, "invalid_request", 900144,
                "The request body must contain the following parameter: '" + name + "'.");
    }
}
