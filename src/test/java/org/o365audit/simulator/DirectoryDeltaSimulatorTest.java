package org.o365audit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.o365audit.simulator.SimulatorClient.errorCode;
import static org.o365audit.simulator.SimulatorClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.SimulatedDirectory.GroupKind;

/** users/delta and groups/delta of the simulated Graph, as graph.md 2.2 describes them. */
class DirectoryDeltaSimulatorTest {
    private static final String TENANT = "0b4c7d5e-51a2-4f0e-9a51-3c1f3b2e7d10";

    private ManagementApiSimulator simulator;
    private SimulatorClient client;
    private SimulatedDirectory directory;
    private String token;

    @BeforeEach
    void start() throws Exception {
        simulator = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST);
        client = new SimulatorClient(simulator);
        SimulatedTenant tenant = simulator.tenant(TENANT);
        directory = tenant.graph().directory();
        token = client.token(tenant, "https://graph.microsoft.com/.default");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    /** Follows nextLinks to the deltaLink; returns the entries and, last, the page with the deltaLink. */
    private List<JsonNode> round(String url, List<JsonNode> entries) throws Exception {
        JsonNode page = json(ok(url));
        List<JsonNode> pages = new ArrayList<>();
        while (true) {
            page.path("value").forEach(entries::add);
            pages.add(page);
            if (!page.has("@odata.nextLink")) {
                return pages;
            }
            assertThat(page.has("@odata.deltaLink")).isFalse();
            page = json(ok(page.get("@odata.nextLink").asText()));
        }
    }

    private HttpResponse<String> ok(String url) throws Exception {
        HttpResponse<String> r = client.get(url, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void pagesWithSkipTokensOnItsOwnHostAndHonoursSelect() throws Exception {
        for (int i = 0; i < 5; i++) {
            directory.addUser("u" + i, "u" + i + "@contoso.com", "User " + i, "Sales", i == 0);
        }
        directory.pageSize(2);
        List<JsonNode> users = new ArrayList<>();
        List<JsonNode> pages = round(simulator.graphUrl() + "/v1.0/users/delta?$select=userPrincipalName,department", users);
        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).get("@odata.nextLink").asText()).startsWith(simulator.graphUrl() + "/v1.0/users/delta?$skiptoken=");
        assertThat(pages.get(2).get("@odata.deltaLink").asText()).startsWith(simulator.graphUrl() + "/v1.0/users/delta?$deltatoken=");
        assertThat(users).hasSize(5).allSatisfy(u -> assertThat(u.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("id", "userPrincipalName", "department"));
    }

    @Test
    void aDeltaLinkListsOnlyChangesWithRemovalsAsIdAndRemoved() throws Exception {
        directory.addUser("u1", "u1@contoso.com", "User 1", "Sales", false);
        directory.addUser("u2", "u2@contoso.com", "User 2", "Sales", false);
        directory.addGroup("g1", "Team", GroupKind.MICROSOFT365);
        directory.addMember("g1", "u1");
        directory.addMember("g1", "u2");
        List<JsonNode> pages = round(simulator.graphUrl() + "/v1.0/groups/delta?$select=displayName,groupTypes,members",
                new ArrayList<>());
        String groupsDelta = pages.get(pages.size() - 1).get("@odata.deltaLink").asText();
        pages = round(simulator.graphUrl() + "/v1.0/users/delta?$select=displayName", new ArrayList<>());
        String usersDelta = pages.get(pages.size() - 1).get("@odata.deltaLink").asText();

        directory.removeUser("u2");
        directory.removeMember("g1", "u1");
        List<JsonNode> users = new ArrayList<>();
        round(usersDelta, users);
        assertThat(users).hasSize(1);
        assertThat(users.get(0).get("id").asText()).isEqualTo("u2");
        assertThat(users.get(0).path("@removed").path("reason").asText()).isEqualTo("changed");
        List<JsonNode> groups = new ArrayList<>();
        round(groupsDelta, groups);
        assertThat(groups).hasSize(1);
        JsonNode members = groups.get(0).get("members@delta");
        assertThat(members).hasSize(1);
        assertThat(members.get(0).get("id").asText()).isEqualTo("u1");
        assertThat(members.get(0).get("@odata.type").asText()).isEqualTo("#microsoft.graph.user");
        assertThat(members.get(0).path("@removed").path("reason").asText()).isEqualTo("deleted");
    }

    @Test
    void aBigGroupRepeatsAcrossPagesWithSlicesOfItsMembers() throws Exception {
        directory.addGroup("big", "Everyone", GroupKind.SECURITY);
        for (int i = 0; i < 5; i++) {
            directory.addUser("u" + i, "u" + i + "@contoso.com", "User " + i, null, false);
            directory.addMember("big", "u" + i);
        }
        directory.memberSlice(2);
        directory.pageSize(1);
        List<JsonNode> groups = new ArrayList<>();
        round(simulator.graphUrl() + "/v1.0/groups/delta?$select=displayName,members", groups);
        assertThat(groups).hasSize(3).allSatisfy(g -> assertThat(g.get("id").asText()).isEqualTo("big"));
        assertThat(groups.stream().mapToInt(g -> g.get("members@delta").size()).sum()).isEqualTo(5);
    }

    @Test
    void anExpiredLinkAnswers410WithALocationToStartOver() throws Exception {
        directory.addUser("u1", "u1@contoso.com", "User 1", "Sales", false);
        directory.addUser("u2", "u2@contoso.com", "User 2", "Sales", false);
        directory.pageSize(1);
        JsonNode first = json(ok(simulator.graphUrl() + "/v1.0/users/delta?$select=displayName"));
        directory.expireDeltaLinks();
        HttpResponse<String> gone = client.get(first.get("@odata.nextLink").asText(), token);
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(errorCode(gone)).isEqualTo("syncStateNotFound");
        assertThat(gone.headers().firstValue("Location")).hasValue(simulator.graphUrl() + "/v1.0/users/delta?$select=displayName");
    }

    @Test
    void refusesExpandOnDelta() throws Exception {
        HttpResponse<String> r = client.get(simulator.graphUrl() + "/v1.0/groups/delta?$expand=members", token);
        assertThat(r.statusCode()).isEqualTo(400);
    }
}
