package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Without a login only health answers; scripts log in with HTTP basic, browsers are sent to the login form. */
class SecurityTest extends ConsoleTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/hawtio/", "/actuator/jolokia/version", "/actuator/prometheus", "/api/status",
            "/tenants.html"})
    void refusesScriptsWithoutCredentials(String path) throws Exception {
        HttpResponse<String> r = get(path, null, null);
        assertThat(r.statusCode()).as("GET %s without credentials", path).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as("GET %s asks for basic auth", path)
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertNoData(path, r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/hawtio/", "/actuator/jolokia/version", "/actuator/prometheus", "/api/status",
            "/tenants.html"})
    void sendsBrowsersToTheLoginForm(String path) throws Exception {
        HttpResponse<String> r = get(path, "text/html,application/xhtml+xml,*/*;q=0.8", null);
        assertThat(r.statusCode()).as("GET %s from a browser without a session", path).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).as("redirect of %s", path).hasValue(url("/login"));
        assertNoData(path, r);
    }

    @Test
    void healthAnswersWithoutCredentialsButShowsNoDetails() throws Exception {
        HttpResponse<String> r = get("/actuator/health", null, null);
        JsonNode health = JSON.readTree(r.body());
        List<String> fields = new ArrayList<>();
        health.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("what anonymous callers see of %s", r.body())
                .containsExactlyInAnyOrder("status", "groups");
        // UP answers 200; DOWN (here: the tenant whose secret is wrong, once polled) answers 503
        assertThat(r.statusCode()).as("HTTP status for %s", r.body())
                .isEqualTo(health.path("status").asText().equals("UP") ? 200 : 503);
        HttpResponse<String> live = get("/actuator/health/liveness", null, null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void scriptsReadJolokiaAndPrometheusWithBasicAuth() throws Exception {
        HttpResponse<String> jolokia = get("/actuator/jolokia/version", null, PASSWORD);
        assertThat(jolokia.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(jolokia.body()).path("value").path("agent").asText()).isNotEmpty();
        HttpResponse<String> prometheus = get("/actuator/prometheus", null, PASSWORD);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void operationsAreRefusedAsGetAndRunAsPostWithBasicAuth() throws Exception {
        HttpResponse<String> byGet = get("/actuator/jolokia/exec/o365audit:type=Collector/revalidateConfiguration", null,
                PASSWORD);
        assertThat(byGet.statusCode()).isEqualTo(403);
        HttpResponse<String> byQuery = get("/actuator/jolokia?p=/exec/o365audit:type=Collector/revalidateConfiguration",
                null, PASSWORD);
        assertThat(byQuery.statusCode()).isEqualTo(403);
        String basic = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> byPost = http.send(HttpRequest.newBuilder(URI.create(url("/actuator/jolokia")))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"exec\",\"mbean\":\"o365audit:type=Collector\",\"operation\":\"revalidateConfiguration\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(byPost.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byPost.body()).path("value").asText()).as(byPost.body()).contains("valid");
        // reading stays possible with GET
        assertThat(get("/actuator/jolokia/read/o365audit:type=Tenant,name=simulated-contoso/Status", null, PASSWORD)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAWrongPassword() throws Exception {
        for (String path : List.of("/actuator/jolokia/version", "/actuator/prometheus", "/api/status")) {
            HttpResponse<String> r = get(path, null, PASSWORD + "-wrong");
            assertThat(r.statusCode()).as("GET %s with a wrong password", path).isEqualTo(401);
            assertNoData(path, r);
        }
    }

    private HttpResponse<String> get(String path, String accept, String password)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (password != null) {
            String basic = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + basic);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A refusal is empty or Spring's error document, and carries nothing of what was asked for. */
    private static void assertNoData(String path, HttpResponse<String> r) throws IOException {
        if (r.body().isEmpty()) {
            return;
        }
        JsonNode error = JSON.readTree(r.body());
        List<String> fields = new ArrayList<>();
        error.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("body of the refused GET %s: %s", path, r.body())
                .containsExactlyInAnyOrder("timestamp", "status", "error", "path");
        assertThat(error.path("path").asText()).isEqualTo(path);
    }
}
