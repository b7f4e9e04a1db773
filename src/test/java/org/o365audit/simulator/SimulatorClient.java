package org.o365audit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Plain HTTPS calls to a running simulator, as a client would make them (the trust store comes from surefire). */
final class SimulatorClient {

    static final String CLIENT_ID = "6f1c2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
    static final String SECRET = "s3cr3t~value";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ManagementApiSimulator simulator;

    SimulatorClient(ManagementApiSimulator simulator) {
        this.simulator = simulator;
    }

    /** Registers the test app in the tenant and gets a token for it from the simulator's token endpoint. */
    String token(SimulatedTenant tenant, String scope) throws Exception {
        tenant.registerSecret(CLIENT_ID, SECRET);
        String form = "grant_type=client_credentials&client_id=" + enc(CLIENT_ID) + "&client_secret=" + enc(SECRET)
                + "&scope=" + enc(scope);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(simulator.baseUrl() + "/" + tenant.tenantId() + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return json(http.send(request, HttpResponse.BodyHandlers.ofString())).path("access_token").asText();
    }

    /** GET with an optional bearer token and extra headers given as name, value, name, value... */
    HttpResponse<String> get(String url, String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Any method without a body (DELETE), with a bearer token and extra headers as name, value, ... */
    HttpResponse<String> send(String method, String url, String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String errorCode(HttpResponse<String> response) {
        return json(response).path("error").path("code").asText();
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
