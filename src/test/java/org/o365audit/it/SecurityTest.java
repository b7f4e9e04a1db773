package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Without a login only health answers; scripts log in with HTTP basic, browsers are sent to the login form. */
class SecurityTest extends ConsoleTestBase {
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
        assertThat(r.headers().firstValue("WWW-Authenticate")).as("asks for basic auth").hasValueSatisfying(v ->
                assertThat(v).startsWith("Basic"));
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
    void healthAnswersWithoutCredentialsButHidesDetails() throws Exception {
        HttpResponse<String> r = get("/actuator/health", null, null);
        assertThat(r.statusCode()).as("health is open; 503 only when DOWN").isIn(200, 503);
        assertThat(r.body()).as("status only, no details for anonymous callers")
                .matches("\\{\"status\":\"(UP|DOWN|OUT_OF_SERVICE|UNKNOWN)\"}");
        HttpResponse<String> live = get("/actuator/health/liveness", null, null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void scriptsReadJolokiaAndPrometheusWithBasicAuth() throws Exception {
        HttpResponse<String> jolokia = get("/actuator/jolokia/version", null, PASSWORD);
        assertThat(jolokia.statusCode()).isEqualTo(200);
        assertThat(jolokia.body()).contains("\"agent\"").contains("\"status\":200");
        HttpResponse<String> prometheus = get("/actuator/prometheus", null, PASSWORD);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void refusesAWrongPassword() throws Exception {
        for (String path : new String[] {"/actuator/jolokia/version", "/actuator/prometheus"}) {
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

    /** A refusal carries nothing of what the page or endpoint would have shown. */
    private static void assertNoData(String path, HttpResponse<String> r) {
        assertThat(r.body()).as("body of the refused GET %s", path)
                .doesNotContain(DEMO_TENANT).doesNotContain(WRONG_TENANT)
                .doesNotContain("jvm_").doesNotContain("\"agent\"").doesNotContain("hawtio")
                .hasSizeLessThan(300);
    }
}
