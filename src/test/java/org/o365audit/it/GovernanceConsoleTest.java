package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.o365audit.Application;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.SimulatedTenant;
import org.o365audit.simulator.TestTls;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Governance actions as an operator calls them: REST with HTTP basic (role admin; a viewer gets 403, nobody 401) and
 * the tenant's Governance MBean through Jolokia, both through the routes, both audited with who asked. Two users: the
 * default one's roles (admin, viewer) and a viewer only. Closed after the class: its MBeans are the JVM's.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(classes = {Application.class, GovernanceConsoleTest.Users.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:governance-console;DB_CLOSE_DELAY=-1",
        "o365.simulator.mode=never",
        "o365.sinks.archive.enabled=false"})
class GovernanceConsoleTest {
    static final ManagementApiSimulator MICROSOFT = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST);
    static final String TENANT_ID = UUID.randomUUID().toString();
    static final String CLIENT_ID = UUID.randomUUID().toString();
    static final String SECRET = UUID.randomUUID().toString();
    static final SimulatedTenant SIM = MICROSOFT.tenant(TENANT_ID);
    static final String USER_ID = UUID.randomUUID().toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        SIM.registerSecret(CLIENT_ID, SECRET);
        SIM.graph().directory().addUser(USER_ID, "megan@contoso.com", "Megan Bowen", "Marketing", false);
    }

    @TestConfiguration
    static class Users {
        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("admin").password("{noop}admin-pw").roles("admin", "viewer").build(),
                    User.withUsername("watcher").password("{noop}watcher-pw").roles("viewer").build());
        }
    }

    @DynamicPropertySource
    static void tenant(DynamicPropertyRegistry r) {
        r.add("o365.tenants[0].name", () -> "fabrikam");
        r.add("o365.tenants[0].tenant-id", () -> TENANT_ID);
        r.add("o365.tenants[0].client-id", () -> CLIENT_ID);
        r.add("o365.tenants[0].client-secret", () -> SECRET);
        r.add("o365.tenants[0].api-url", MICROSOFT::baseUrl);
        r.add("o365.tenants[0].login-url", MICROSOFT::baseUrl);
        r.add("o365.tenants[0].graph-url", MICROSOFT::graphUrl);
        r.add("o365.tenants[0].components", () -> "apps");
        r.add("o365.tenants[0].governance.actions", () -> "suspend-user,revoke-sessions");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAdminRunsADryRunByDefaultThenTheRealActionAndTheAuditNamesThem() throws Exception {
        HttpResponse<String> dry = post("/api/governance/fabrikam/suspend-user", "{\"target\":\"megan@contoso.com\"}", "admin:admin-pw");
        assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
        JsonNode d = JSON.readTree(dry.body());
        assertThat(d.path("outcome").asText()).isEqualTo("would-change");
        assertThat(d.path("dryRun").asBoolean()).isTrue();
        assertThat(d.path("requestedBy").asText()).isEqualTo("admin");
        assertThat(SIM.graph().writes()).isEmpty();

        HttpResponse<String> real = post("/api/governance/" + TENANT_ID + "/revoke-sessions",
                "{\"target\":\"" + USER_ID + "\",\"dryRun\":false,\"reason\":\"ticket 12\"}", "admin:admin-pw");
        assertThat(JSON.readTree(real.body()).path("outcome").asText()).as(real.body()).isEqualTo("done");
        assertThat(SIM.graph().directory().sessionsRevoked(USER_ID)).isEqualTo(1);

        HttpResponse<String> list = get("/api/governance/actions?tenant=fabrikam&limit=5", "watcher:watcher-pw");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode rows = JSON.readTree(list.body());
        assertThat(rows.get(0).path("action").asText()).isEqualTo("revoke-sessions");
        assertThat(rows.get(0).path("requested_by").asText()).isEqualTo("admin");
        assertThat(rows.get(0).path("reason").asText()).isEqualTo("ticket 12");
        assertThat(rows.get(0).path("requested_at").asText()).endsWith("Z");
    }

    @Test
    void refusesAnonymousCallersAndViewersAndSaysWhichTenantOrActionIsUnknown() throws Exception {
        int before = jdbc.queryForObject("SELECT COUNT(*) FROM governance_action", Integer.class);
        // without credentials the CSRF check (for browser sessions) refuses the POST before the login is asked
        assertThat(post("/api/governance/fabrikam/suspend-user", "{\"target\":\"megan@contoso.com\"}", null).statusCode())
                .isEqualTo(403);
        assertThat(post("/api/governance/fabrikam/suspend-user", "{\"target\":\"megan@contoso.com\"}", "admin:wrong")
                .statusCode()).isEqualTo(401);
        assertThat(post("/api/governance/fabrikam/suspend-user", "{\"target\":\"megan@contoso.com\"}", "watcher:watcher-pw")
                .statusCode()).isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM governance_action", Integer.class)).isEqualTo(before);
        // an audit search costs the tenant's daily submissions: admins only too
        assertThat(post("/api/audit-search/fabrikam", "{\"from\":\"2026-06-01T00:00:00Z\",\"to\":\"2026-06-02T00:00:00Z\"}",
                "watcher:watcher-pw").statusCode()).isEqualTo(403);
        HttpResponse<String> tenant = post("/api/governance/northwind/suspend-user", "{\"target\":\"x\"}", "admin:admin-pw");
        assertThat(tenant.statusCode()).isEqualTo(404);
        assertThat(tenant.body()).contains("no tenant 'northwind'");
        HttpResponse<String> action = post("/api/governance/fabrikam/delete-tenant", "{\"target\":\"x\"}", "admin:admin-pw");
        assertThat(action.statusCode()).isEqualTo(404);
        assertThat(action.body()).contains("unknown action 'delete-tenant'");
    }

    @Test
    void theGovernanceMBeanRunsAnActionThroughJolokiaForAdminsOnly() throws Exception {
        String exec = "{\"type\":\"exec\",\"mbean\":\"o365audit:type=Governance,tenant=fabrikam\",\"operation\":\"suspendUser\","
                + "\"arguments\":[\"megan@contoso.com\",true,false,\"from hawtio\"]}";
        HttpResponse<String> r = post("/actuator/jolokia", exec, "admin:admin-pw");
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.path("status").asInt()).as(r.body()).isEqualTo(200);
        assertThat(answer.path("value").asText()).contains("suspend-user megan@contoso.com in tenant fabrikam (dry run):"
                + " would-change - would PATCH /users/" + USER_ID);
        assertThat(jdbc.queryForList("SELECT requested_by FROM governance_action WHERE reason = 'from hawtio'", String.class))
                .containsExactly("jmx admin");

        JsonNode viewer = JSON.readTree(post("/actuator/jolokia", exec, "watcher:watcher-pw").body());
        assertThat(viewer.path("status").asInt()).isNotEqualTo(200);
        assertThat(viewer.path("error").asText()).contains("needs role admin");

        JsonNode enabled = JSON.readTree(post("/actuator/jolokia", "{\"type\":\"read\",\"mbean\":"
                + "\"o365audit:type=Governance,tenant=fabrikam\",\"attribute\":\"EnabledActions\"}", "admin:admin-pw").body());
        assertThat(enabled.path("value").toString()).isEqualTo("[\"revoke-sessions\",\"suspend-user\"]");
    }

    private HttpResponse<String> post(String path, String body, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
