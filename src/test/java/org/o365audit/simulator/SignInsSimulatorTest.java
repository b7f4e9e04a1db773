package org.o365audit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.o365audit.simulator.SimulatorClient.errorCode;
import static org.o365audit.simulator.SimulatorClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SignInsSimulatorTest {
    private static final String TENANT = "41463f53-8812-40f4-890f-865bf6e35190";
    private static final String SCOPE = "https://graph.microsoft.com/.default";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private final ManagementApiSimulatorTest.MutableClock clock =
            new ManagementApiSimulatorTest.MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private ManagementApiSimulator simulator;
    private SimulatorClient client;
    private SimulatedTenant tenant;
    private String token;

    @BeforeEach
    void start() throws Exception {
        simulator = ManagementApiSimulator.start(0, clock, TestTls.LOCALHOST);
        client = new SimulatorClient(simulator);
        tenant = simulator.tenant(TENANT);
        token = client.token(tenant, SCOPE);
        for (int i = 0; i < 5; i++) {
            tenant.graph().signIns().add(new SimSignIn("s" + i, T0.plusSeconds(60L * i), "adele@contoso.onmicrosoft.com",
                    "Office 365 Exchange Online", "Browser", true, "203.0.113.7", 0, "c" + i));
        }
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void filtersOnCreatedDateTimeBothEndsIncludedNewestFirst() throws Exception {
        JsonNode page = json(get("$filter=createdDateTime%20ge%202026-11-24T10:01:00Z%20and%20createdDateTime%20le%202026-11-24T10:03:00Z"));
        assertThat(ids(page)).containsExactly("s3", "s2", "s1");
        assertThat(page.has("@odata.nextLink")).isFalse();
    }

    @Test
    void pagesByTopWithASkipTokenInTheNextLink() throws Exception {
        List<String> all = new ArrayList<>();
        JsonNode page = json(get("$top=2&$filter=createdDateTime%20ge%202026-11-24T10:00:00Z"));
        all.addAll(ids(page));
        while (page.has("@odata.nextLink")) {
            assertThat(page.path("@odata.nextLink").asText()).contains("$skiptoken=");
            page = json(client.get(page.path("@odata.nextLink").asText(), token));
            all.addAll(ids(page));
        }
        assertThat(all).containsExactly("s4", "s3", "s2", "s1", "s0");
    }

    @Test
    void refusesATopAboveAThousand() throws Exception {
        assertThat(get("$top=1001").statusCode()).isEqualTo(400);
    }

    @Test
    void answersNoPremiumLicenceWhenTheTenantLacksIt() throws Exception {
        tenant.graph().premium(false);
        HttpResponse<String> r = get("$top=10");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(errorCode(r)).isEqualTo("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
    }

    private HttpResponse<String> get(String query) throws Exception {
        return client.get(simulator.graphUrl() + "/v1.0/auditLogs/signIns?" + query, token);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("value").forEach(s -> ids.add(s.path("id").asText()));
        return ids;
    }
}
