package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * A newcomer's first minute with the demo: without an Azure account, the connected-tenants page's data
 * (/api/status, as the page reads it) shows the simulated tenant's accounts, apps, sign-ins and files components running,
 * each saying what it holds, within a minute of the start. (Which of the demo's records name a directory user is
 * chance with two hours of history; enrichment is held by EnrichmentScenarios.)
 */
// a database of its own: a newcomer's first start, not the records the other console tests' demos stored before
@org.springframework.test.context.TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:demo-components;DB_CLOSE_DELAY=-1")
class DemoComponentsTest extends ConsoleTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ApplicationContext context;

    @Test
    void theDemoShowsAccountsAppsSignInsAndFilesWithinItsFirstMinute() {
        Instant started = Instant.ofEpochMilli(context.getStartupDate());
        HttpClient http = HttpClient.newHttpClient();
        Map<String, JsonNode> graph = new HashMap<>();
        await().atMost(Duration.ofSeconds(60).minus(Duration.between(started, Instant.now()))).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode status = JSON.readTree(get(http, "/api/status"));
                    JsonNode demo = null;
                    for (JsonNode t : status.path("tenants")) {
                        if (t.path("name").asText().equals(DEMO_TENANT)) {
                            demo = t;
                        }
                    }
                    assertThat(demo).as("the demo tenant on the page").isNotNull();
                    graph.clear();
                    for (JsonNode c : demo.path("components")) {
                        if (c.path("kind").asText().equals("graph")) {
                            graph.put(c.path("name").asText(), c);
                        }
                    }
                    assertThat(graph).containsOnlyKeys("accounts", "apps", "signins", "files");
                    graph.values().forEach(c -> assertThat(c.path("state").asText()).as(c.path("name").asText())
                            .isEqualTo("running"));
                });
        assertThat(graph.get("accounts").path("summary").asText()).matches("\\d+ users, \\d+ groups \\(\\d+ Microsoft 365\\), \\d+ memberships");
        assertThat(graph.get("apps").path("summary").asText()).matches("3 apps \\(1 unverified publishers\\), \\d+ grants");
        assertThat(graph.get("signins").path("summary").asText()).contains("sign-ins stored");
        assertThat(graph.get("files").path("summary").asText()).matches("\\d+ files watched \\(\\d+ public, \\d+ external\\)");
        System.out.println("demo: accounts, apps and signins running " + Duration.between(started, Instant.now()).toSeconds()
                + " s after the start");
    }

    @Test
    void aNewcomerTriesAGovernanceActionAndSeesADryRun() throws Exception {
        String basic = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url("/api/governance/" + DEMO_TENANT + "/suspend-user")))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"Matt@contoso.onmicrosoft.com\",\"dryRun\":false}"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(r.body());
        assertThat(result.path("outcome").asText()).as(r.body()).isEqualTo("would-change");
        assertThat(result.path("detail").asText()).startsWith("Run as a dry run").contains("would PATCH /users/",
                "accountEnabled true -> false");
    }

    private String get(HttpClient http, String path) throws Exception {
        String basic = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
