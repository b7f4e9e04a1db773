package org.o365audit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.o365audit.simulator.SimulatorClient.errorCode;
import static org.o365audit.simulator.SimulatorClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FilesSimulatorTest {
    private static final String TENANT = "5b1f0c2a-7d3e-4f5a-9b6c-1d2e3f4a5b6c";
    private static final SimulatedFiles.Identity ADELE = SimulatedFiles.Identity.of("Adele@contoso.onmicrosoft.com", "Adele Vance");

    private ManagementApiSimulator simulator;
    private SimulatorClient client;
    private SimulatedFiles files;
    private SimulatedFiles.Item budget;
    private String token;

    @BeforeEach
    void start() throws Exception {
        simulator = ManagementApiSimulator.start(0, java.time.Clock.systemUTC(), TestTls.LOCALHOST);
        client = new SimulatorClient(simulator);
        SimulatedTenant tenant = simulator.tenant(TENANT);
        token = client.token(tenant, "https://graph.microsoft.com/.default");
        files = tenant.graph().files();
        SimulatedFiles.Drive finance = files.addLibrary("https://contoso.sharepoint.com/sites/Finance", "Shared Documents");
        budget = files.addFile(finance, "Plans", "Budget 2027.xlsx", 18_000, ADELE, Instant.parse("2026-11-20T09:00:00Z"));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void findsTheFileAtTheUrlAnAuditRecordNames() throws Exception {
        String objectId = "https://contoso.sharepoint.com/sites/Finance/Shared Documents/Plans/Budget 2027.xlsx";
        JsonNode item = json(get("shares/" + shareId(objectId) + "/driveItem?$select=id,name,webUrl,parentReference"));
        assertThat(item.path("id").asText()).isEqualTo(budget.id());
        assertThat(item.path("webUrl").asText())
                .isEqualTo("https://contoso.sharepoint.com/sites/Finance/Shared%20Documents/Plans/Budget%202027.xlsx");
        assertThat(item.path("parentReference").path("driveId").asText()).isEqualTo(budget.driveId());
        assertThat(item.has("size")).isFalse();
        HttpResponse<String> gone = get("shares/" + shareId(objectId.replace("Budget", "Forecast")) + "/driveItem");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(errorCode(gone)).isEqualTo("itemNotFound");
    }

    @Test
    void listsPermissionsPageByPageWithTheLinksAndTheInheritedOwners() throws Exception {
        files.shareAnonymously(budget, "view");
        files.grant(budget, SimulatedFiles.Identity.of("pat@fabrikam.com", "Pat Guest"), "read");
        files.pageSize(2);
        List<JsonNode> all = new ArrayList<>();
        JsonNode page = json(get("drives/" + budget.driveId() + "/items/" + budget.id() + "/permissions"));
        page.path("value").forEach(all::add);
        while (page.has("@odata.nextLink")) {
            page = json(client.get(page.path("@odata.nextLink").asText(), token));
            page.path("value").forEach(all::add);
        }
        assertThat(all).hasSize(4);
        assertThat(all).anyMatch(p -> p.path("inheritedFrom").has("id") && p.path("grantedToV2").has("siteGroup"));
        assertThat(all).anyMatch(p -> p.path("link").path("scope").asText().equals("anonymous"));
        assertThat(all).anyMatch(p -> p.path("grantedToV2").path("user").path("email").asText().equals("pat@fabrikam.com"));
        JsonNode item = json(get("drives/" + budget.driveId() + "/items/" + budget.id()));
        assertThat(item.path("shared").path("scope").asText()).isEqualTo("anonymous");
    }

    @Test
    void deletesALinkOnceAndRefusesInheritedAndOwnerEntries() throws Exception {
        String link = files.shareAnonymously(budget, "view");
        String base = simulator.graphUrl() + "/v1.0/drives/" + budget.driveId() + "/items/" + budget.id() + "/permissions/";
        assertThat(client.send("DELETE", base + link, token).statusCode()).isEqualTo(204);
        HttpResponse<String> again = client.send("DELETE", base + link, token);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(errorCode(again)).isEqualTo("itemNotFound");
        for (SimulatedFiles.Permission p : files.permissions(budget.driveId(), budget.id())) {
            HttpResponse<String> refused = client.send("DELETE", base + p.id(), token);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(errorCode(refused)).isEqualTo("accessDenied");
        }
    }

    @Test
    void honoursIfMatchAgainstTheItemsCurrentETag() throws Exception {
        String link = files.shareAnonymously(budget, "edit");
        String read = json(get("drives/" + budget.driveId() + "/items/" + budget.id())).path("eTag").asText();
        files.shareWithOrganization(budget, "view");
        String base = simulator.graphUrl() + "/v1.0/drives/" + budget.driveId() + "/items/" + budget.id() + "/permissions/";
        HttpResponse<String> stale = client.send("DELETE", base + link, token, "if-match", read);
        assertThat(stale.statusCode()).isEqualTo(412);
        String current = json(get("drives/" + budget.driveId() + "/items/" + budget.id())).path("eTag").asText();
        assertThat(client.send("DELETE", base + link, token, "if-match", current).statusCode()).isEqualTo(204);
    }

    @Test
    void aReadOnlyAppMayNotDelete() throws Exception {
        String link = files.shareAnonymously(budget, "view");
        files.readOnly(true);
        HttpResponse<String> r = client.send("DELETE", simulator.graphUrl() + "/v1.0/drives/" + budget.driveId()
                + "/items/" + budget.id() + "/permissions/" + link, token);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(files.permissions(budget.driveId(), budget.id())).anyMatch(p -> p.id().equals(link));
    }

    @Test
    void aDeletedFileIsNotFound() throws Exception {
        files.delete(budget);
        HttpResponse<String> r = get("drives/" + budget.driveId() + "/items/" + budget.id() + "/permissions");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(errorCode(r)).isEqualTo("itemNotFound");
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.get(simulator.graphUrl() + "/v1.0/" + pathAndQuery, token);
    }

    private static String shareId(String url) {
        return "u!" + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
    }
}
