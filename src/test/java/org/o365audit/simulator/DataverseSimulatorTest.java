package org.o365audit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.o365audit.simulator.SimulatorClient.enc;
import static org.o365audit.simulator.SimulatorClient.errorCode;
import static org.o365audit.simulator.SimulatorClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataverseSimulatorTest {

    private static final String TENANT = "41463f53-8812-40f4-890f-865bf6e35190";
    private static final String OTHER_TENANT = "8d4121ed-0008-406d-bff9-0d5bb312183c";
    private static final String DAY = "createdon ge 2026-11-24T00:00:00Z and createdon lt 2026-11-25T00:00:00Z";
    private static final String PAGE_OF_2 = "odata.maxpagesize=2";

    private final ManagementApiSimulatorTest.MutableClock clock =
            new ManagementApiSimulatorTest.MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private ManagementApiSimulator simulator;
    private SimulatorClient client;
    private SimulatedTenant tenant;
    private DataverseEnvironment contoso;
    private String token;

    @BeforeEach
    void start() throws Exception {
        simulator = ManagementApiSimulator.start(0, clock, TestTls.LOCALHOST);
        client = new SimulatorClient(simulator);
        tenant = simulator.tenant(TENANT);
        contoso = tenant.dataverse("contoso");
        token = client.token(tenant, contoso.url() + "/.default");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void environmentUrlIsUnderTheSimulator() {
        assertThat(contoso.url()).isEqualTo(simulator.baseUrl() + "/dataverse/contoso");
        assertThat(tenant.dataverse("contoso")).isSameAs(contoso);
    }

    @Test
    void pagesThroughNextLinkWithPreferMaxPageSize() throws Exception {
        addRow("e5", "2026-11-24T10:00:00Z");
        addRow("e1", "2026-11-24T00:00:00Z");
        addRow("e4", "2026-11-24T09:00:00Z");
        addRow("e3", "2026-11-24T09:00:00Z");
        addRow("e2", "2026-11-24T08:59:59Z");
        addRow("next-day", "2026-11-25T00:00:00Z");
        addRow("day-before", "2026-11-23T23:59:59Z");

        HttpResponse<String> first = get(audits(DAY) + "&$select=" + enc("auditid,createdon"), "Prefer", PAGE_OF_2);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Preference-Applied")).hasValue(PAGE_OF_2);
        JsonNode page = json(first);
        assertThat(page.path("@odata.context").asText()).isEqualTo(contoso.url() + "/api/data/v9.2/$metadata#audits");

        List<String> ids = new ArrayList<>(ids(page));
        List<String> nextLinks = new ArrayList<>();
        while (page.has("@odata.nextLink")) {
            String nextLink = page.path("@odata.nextLink").asText();
            nextLinks.add(nextLink);
            page = json(get(nextLink, "Prefer", PAGE_OF_2));
            assertThat(page.path("value").size()).isBetween(1, 2);
            ids.addAll(ids(page));
        }

        assertThat(ids).containsExactly("e1", "e2", "e3", "e4", "e5");
        assertThat(nextLinks).hasSize(2).allSatisfy(link -> {
            assertThat(link).startsWith(contoso.url() + "/api/data/v9.2/audits?");
            String decoded = URLDecoder.decode(link, StandardCharsets.UTF_8);
            assertThat(decoded).contains("$filter=" + DAY, "$orderby=createdon asc", "$select=auditid,createdon",
                    "$skiptoken=<cookie pagenumber=");
        });
        assertThat(contoso.requests()).hasSize(3).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(contoso.requests().get(1).query()).containsKey("$skiptoken");
        assertThat(tenant.requests()).as("Dataverse calls are not in the Management API log")
                .allSatisfy(r -> assertThat(r.path()).contains("/oauth2/"));
    }

    @Test
    void withoutPreferAPageHoldsUpTo5000Rows() throws Exception {
        for (int i = 0; i < 5001; i++) {
            addRow(String.format("row-%05d", i), "2026-11-24T06:00:00Z");
        }
        JsonNode page = json(get(audits(DAY)));
        assertThat(page.path("value").size()).isEqualTo(5000);
        JsonNode rest = json(get(page.path("@odata.nextLink").asText(), "Prefer", "odata.maxpagesize=9000"));
        assertThat(ids(rest)).containsExactly("row-05000");
        assertThat(rest.has("@odata.nextLink")).isFalse();
    }

    @Test
    void lateRowIsInvisibleBeforeVisibleFromAndPagingKeepsItsSnapshot() throws Exception {
        addRow("a", "2026-11-24T01:00:00Z");
        addRow("b", "2026-11-24T02:00:00Z");
        addRow("c", "2026-11-24T03:00:00Z");
        contoso.addAudit(row("late", "2026-11-24T01:30:00Z"), clock.instant().plus(Duration.ofHours(5)));

        JsonNode first = json(get(audits(DAY), "Prefer", PAGE_OF_2));
        clock.advance(Duration.ofHours(5));
        token = client.token(tenant, contoso.url() + "/.default"); // the first one expired meanwhile
        JsonNode second = json(get(first.path("@odata.nextLink").asText(), "Prefer", PAGE_OF_2));
        assertThat(ids(first)).containsExactly("a", "b");
        assertThat(ids(second)).containsExactly("c");

        assertThat(ids(json(get(audits(DAY))))).containsExactly("a", "late", "b", "c");
    }

    @Test
    void refusesSkipAndQueriesItDoesNotUnderstand() throws Exception {
        assertBadRequest(get(audits(DAY) + "&$skip=2"));
        assertBadRequest(get(contoso.url() + "/api/data/v9.2/audits?$filter=" + enc("operation eq 3")));
        assertBadRequest(get(contoso.url() + "/api/data/v9.2/audits"));
        assertBadRequest(get(audits("createdon ge yesterday and createdon lt 2026-11-25T00:00:00Z")));
        assertBadRequest(get(audits(DAY), "Prefer", "odata.maxpagesize=many"));
        HttpResponse<String> wrongSet = get(contoso.url() + "/api/data/v9.2/Audit");
        assertThat(wrongSet.statusCode()).isEqualTo(404);
        assertThat(errorCode(wrongSet)).isEqualTo("0x8006088a");
        assertThat(client.get(simulator.baseUrl() + "/dataverse/nowhere/api/data/v9.2/audits", token).statusCode())
                .isEqualTo(404);
    }

    @Test
    void refusesANextLinkThatWasChanged() throws Exception {
        for (int i = 1; i <= 5; i++) {
            addRow("r" + i, "2026-11-24T0" + i + ":00:00Z");
        }
        String nextLink = json(get(audits(DAY), "Prefer", PAGE_OF_2)).path("@odata.nextLink").asText();

        assertBadRequest(get(nextLink.replace("pagenumber%3D%222%22", "pagenumber%3D%223%22"), "Prefer", PAGE_OF_2));
        assertBadRequest(get(nextLink.replace("2026-11-25T00:00:00Z", "2026-11-24T12:00:00Z"), "Prefer", PAGE_OF_2));
        assertThat(ids(json(get(nextLink, "Prefer", PAGE_OF_2)))).containsExactly("r3", "r4");
    }

    @Test
    void throttleNextAnswers429WithRetryAfterAndTheServiceProtectionError() throws Exception {
        contoso.throttleNext(1, Duration.ofSeconds(17));
        HttpResponse<String> throttled = get(audits(DAY));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("17");
        assertThat(errorCode(throttled)).isEqualTo("0x80072322");
        assertThat(json(throttled).path("error").path("message").asText())
                .isEqualTo("Number of requests exceeded the limit of 6000 over time window of 300 seconds.");
        assertThat(get(audits(DAY)).statusCode()).isEqualTo(200);
        assertThat(contoso.requests()).extracting(RecordedRequest::status).containsExactly(429, 200);
    }

    @Test
    void refusesATokenOfAnotherTenantAndExpiredOrMissingTokens() throws Exception {
        addRow("a", "2026-11-24T01:00:00Z");
        SimulatedTenant other = simulator.tenant(OTHER_TENANT);
        String foreign = client.token(other, contoso.url() + "/.default");

        HttpResponse<String> refused = client.get(audits(DAY), foreign);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h ->
                assertThat(h).contains("/" + TENANT + "/oauth2/authorize", "resource_id=" + contoso.url()));
        assertThat(client.get(audits(DAY), null).statusCode()).isEqualTo(401);
        clock.advance(Duration.ofHours(2));
        assertThat(get(audits(DAY)).statusCode()).isEqualTo(401);
        assertThat(contoso.requests()).extracting(RecordedRequest::status).containsExactly(401, 401, 401);

        // an environment of the same name in the other tenant is that tenant's own
        DataverseEnvironment theirs = other.dataverse("contoso");
        theirs.addAudit(row("theirs", "2026-11-24T01:00:00Z"), clock.instant());
        String fresh = client.token(other, contoso.url() + "/.default");
        assertThat(ids(json(client.get(audits(DAY), fresh)))).containsExactly("theirs");
    }

    // --- helpers ---

    private void addRow(String id, String createdOn) {
        contoso.addAudit(row(id, createdOn), clock.instant());
    }

    private static String row(String id, String createdOn) {
        return "{\"auditid\":\"" + id + "\",\"createdon\":\"" + createdOn + "\",\"operation\":2,\"action\":2,"
                + "\"objecttypecode\":\"contact\",\"_objectid_value\":\"0e76dc8a-41b5-ec11-983f-0022482bf046\"}";
    }

    private String audits(String filter) {
        return contoso.url() + "/api/data/v9.2/audits?$filter=" + enc(filter) + "&$orderby=" + enc("createdon asc");
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        return client.get(url, token, headers);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("value").forEach(r -> ids.add(r.path("auditid").asText()));
        return ids;
    }

    private static void assertBadRequest(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("error").path("message").asText()).isNotBlank();
    }
}
