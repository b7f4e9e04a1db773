package org.o365audit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

class PowerBiSimulatorTest {

    private static final String TENANT = "41463f53-8812-40f4-890f-865bf6e35190";
    private static final String OTHER_TENANT = "8d4121ed-0008-406d-bff9-0d5bb312183c";
    private static final String SCOPE = "https://analysis.windows.net/powerbi/api/.default";
    private static final String TODAY = "startDateTime='2026-11-24T00:00:00'&endDateTime='2026-11-24T23:59:59'";

    private final ManagementApiSimulatorTest.MutableClock clock =
            new ManagementApiSimulatorTest.MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private ManagementApiSimulator simulator;
    private SimulatorClient client;
    private SimulatedTenant tenant;
    private PowerBiActivity powerBi;
    private String token;

    @BeforeEach
    void start() throws Exception {
        simulator = ManagementApiSimulator.start(0, clock, TestTls.LOCALHOST);
        client = new SimulatorClient(simulator);
        tenant = simulator.tenant(TENANT);
        powerBi = tenant.powerBi();
        token = client.token(tenant, SCOPE);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void acceptsOnlyWindowsWithinOneUtcDayAndTheLast28Days() throws Exception {
        assertThat(get(TODAY).statusCode()).isEqualTo(200);
        assertThat(get("startDateTime='2026-11-24T00:00:00.000Z'&endDateTime='2026-11-24T23:59:59.999Z'").statusCode())
                .isEqualTo(200);
        assertThat(get("startDateTime='2026-10-28T00:00:00'&endDateTime='2026-10-28T23:59:59'").statusCode())
                .as("27 days and 12 hours back").isEqualTo(200);

        assertInvalid(get("startDateTime='2026-11-23T12:00:00'&endDateTime='2026-11-24T11:00:00'"));
        assertInvalid(get("startDateTime='2026-11-24T00:00:00'&endDateTime='2026-11-25T00:00:00'"));
        assertInvalid(get("startDateTime='2026-10-27T00:00:00'&endDateTime='2026-10-27T23:59:59'"));
        assertInvalid(get("startDateTime='2026-11-24T10:00:00'&endDateTime='2026-11-24T09:00:00'"));
        assertInvalid(get("startDateTime='2026-11-24T00:00:00'"));
        assertInvalid(get("startDateTime='yesterday'&endDateTime='today'"));
        assertInvalid(get(""));
    }

    @Test
    void requiresDatesInSingleQuotes() throws Exception {
        assertInvalid(get("startDateTime=2026-11-24T00:00:00&endDateTime=2026-11-24T23:59:59"));
        assertInvalid(get("startDateTime='2026-11-24T00:00:00'&endDateTime=2026-11-24T23:59:59"));
        assertInvalid(get("startDateTime=%222026-11-24T00:00:00%22&endDateTime=%222026-11-24T23:59:59%22"));
    }

    @Test
    void refusesDatesTogetherWithAContinuationTokenAndUnknownTokens() throws Exception {
        addEvents(4);
        powerBi.pageSize(2);
        JsonNode first = json(get(TODAY));
        String encodedToken = first.path("continuationToken").asText();

        assertInvalid(get(TODAY + "&continuationToken='" + encodedToken + "'"));
        assertInvalid(get("continuationToken=" + encodedToken));
        assertInvalid(get("continuationToken='" + encodedToken.replace("%3D", "%3E") + "'"));
        assertInvalid(get("continuationToken='" + SimulatorClient.enc(encodedToken) + "'"));
        // the token as sent is still good
        assertThat(get("continuationToken='" + encodedToken + "'").statusCode()).isEqualTo(200);
    }

    @Test
    void continuesToTheEndThroughEmptyPagesThatCarryAToken() throws Exception {
        List<String> ids = addEvents(5);
        powerBi.pageSize(2);
        powerBi.emptyPageEvery(2);

        List<JsonNode> pages = new ArrayList<>();
        HttpResponse<String> response = get(TODAY);
        while (true) {
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = json(response);
            pages.add(page);
            assertThat(page.path("lastResultSet").isBoolean()).isTrue();
            assertThat(page.path("lastResultSet").asBoolean()).isFalse();
            if (page.path("continuationToken").isNull()) {
                break;
            }
            String encoded = page.path("continuationToken").asText();
            assertThat(page.path("continuationUri").asText()).isEqualTo(simulator.baseUrl()
                    + "/powerbi/v1.0/myorg/admin/activityevents?continuationToken='" + encoded + "'");
            assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).startsWith("+RID:");
            response = client.get(page.path("continuationUri").asText(), token);
        }

        List<String> seen = new ArrayList<>();
        pages.forEach(p -> p.path("activityEventEntities").forEach(e -> seen.add(e.path("Id").asText())));
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(pages.subList(0, pages.size() - 1))
                .anySatisfy(p -> assertThat(p.path("activityEventEntities")).isEmpty());
        JsonNode last = pages.get(pages.size() - 1);
        assertThat(last.path("activityEventEntities")).isEmpty();
        assertThat(last.path("continuationUri").isNull()).isTrue();
        assertThat(powerBi.requests()).hasSize(pages.size())
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(powerBi.requests().get(1).query().get("continuationToken")).startsWith("'+RID:").endsWith("'");
        assertThat(tenant.requests()).as("Power BI calls are not in the Management API log")
                .allSatisfy(r -> assertThat(r.path()).contains("/oauth2/"));
    }

    @Test
    void returnsOnlyTheWindowSortedByCreationTimeThenId() throws Exception {
        powerBi.addEvent(event("b", "2026-11-24T08:00:00"), clock.instant());
        powerBi.addEvent(event("a", "2026-11-24T08:00:00"), clock.instant());
        powerBi.addEvent(event("c", "2026-11-24T07:00:00"), clock.instant());
        powerBi.addEvent(event("yesterday", "2026-11-23T23:59:59"), clock.instant());
        powerBi.addEvent(event("edge", "2026-11-24T10:00:00"), clock.instant());

        JsonNode page = json(get("startDateTime='2026-11-24T00:00:00'&endDateTime='2026-11-24T10:00:00'"));
        assertThat(page.path("activityEventEntities")).extracting(e -> e.path("Id").asText())
                .containsExactly("c", "a", "b", "edge");
        assertThat(page.path("activityEventEntities").get(0).path("Workload").asText()).isEqualTo("PowerBI");
    }

    @Test
    void lateEventIsInvisibleBeforeVisibleFromAndPagingKeepsItsSnapshot() throws Exception {
        addEvents(3);
        powerBi.pageSize(2);
        powerBi.addEvent(event("late", "2026-11-24T01:00:00"), clock.instant().plus(Duration.ofHours(30)));

        JsonNode first = json(get(TODAY));
        clock.advance(Duration.ofHours(30));
        token = client.token(tenant, SCOPE);
        List<String> rest = idsToTheEnd(first);
        assertThat(ids(first)).doesNotContain("late");
        assertThat(rest).doesNotContain("late").hasSize(1);

        JsonNode again = json(get(TODAY));
        List<String> all = new ArrayList<>(ids(again));
        all.addAll(idsToTheEnd(again));
        assertThat(all).containsExactly("00000000-0000-0000-0000-000000000000", "late",
                "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002");
    }

    @Test
    void answers429WithRetryAfterOnceTheHourlyBudgetIsSpent() throws Exception {
        powerBi.hourlyLimit(3);
        for (int i = 0; i < 3; i++) {
            assertThat(get(TODAY).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = get(TODAY);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(errorCode(refused)).isEqualTo("TooManyRequests");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("3600");
        assertThat(powerBi.requestsInLastHour()).as("the refused call counts too").isEqualTo(4);

        clock.advance(Duration.ofMinutes(30));
        HttpResponse<String> stillRefused = get(TODAY);
        assertThat(stillRefused.statusCode()).isEqualTo(429);
        assertThat(stillRefused.headers().firstValue("Retry-After")).hasValue("1800");

        clock.advance(Duration.ofMinutes(30));
        token = client.token(tenant, SCOPE); // the first one just expired
        assertThat(get(TODAY).statusCode()).isEqualTo(200);
        assertThat(powerBi.requestsInLastHour()).isEqualTo(2);
        assertThat(powerBi.requests()).extracting(RecordedRequest::status)
                .containsExactly(200, 200, 200, 429, 429, 200);
    }

    @Test
    void throttleNextAnswers429WithRetryAfter() throws Exception {
        powerBi.throttleNext(2, Duration.ofSeconds(42));
        HttpResponse<String> throttled = get(TODAY);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("42");
        assertThat(errorCode(throttled)).isEqualTo("TooManyRequests");
        assertThat(get(TODAY).statusCode()).isEqualTo(429);
        assertThat(get(TODAY).statusCode()).isEqualTo(200);
    }

    @Test
    void myorgIsTheTenantOfTheTokenAndBadTokensGet401() throws Exception {
        powerBi.addEvent(event("mine", "2026-11-24T09:00:00"), clock.instant());
        SimulatedTenant other = simulator.tenant(OTHER_TENANT);
        other.powerBi().addEvent(event("theirs", "2026-11-24T09:00:00"), clock.instant());
        String otherToken = client.token(other, SCOPE);

        assertThat(ids(json(get(TODAY)))).containsExactly("mine");
        assertThat(ids(json(client.get(url(TODAY), otherToken)))).containsExactly("theirs");
        assertThat(other.powerBi().requests()).hasSize(1);

        assertThat(client.get(url(TODAY), null).statusCode()).isEqualTo(401);
        HttpResponse<String> madeUp = client.get(url(TODAY), "made-up");
        assertThat(madeUp.statusCode()).isEqualTo(401);
        assertThat(madeUp.headers().firstValue("WWW-Authenticate")).isPresent();
        tenant.revokeAllTokens();
        assertThat(get(TODAY).statusCode()).isEqualTo(401);
        assertThat(powerBi.requests()).extracting(RecordedRequest::status).containsExactly(200, 401);
    }

    @Test
    void refusesEventsWithoutIdOrApiTime() {
        assertThatThrownBy(() -> powerBi.addEvent("{\"CreationTime\":\"2026-11-24T09:00:00\"}", clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> powerBi.addEvent("{\"Id\":\"x\",\"CreationTime\":\"24/11/2026\"}", clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers ---

    private List<String> addEvents(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "00000000-0000-0000-0000-00000000000" + i;
            powerBi.addEvent(event(id, "2026-11-24T0" + i + ":30:00"), clock.instant());
            ids.add(id);
        }
        return ids;
    }

    /** The ids of the pages after this one. */
    private List<String> idsToTheEnd(JsonNode page) throws Exception {
        List<String> ids = new ArrayList<>();
        while (!page.path("continuationUri").isNull()) {
            page = json(client.get(page.path("continuationUri").asText(), token));
            ids.addAll(ids(page));
        }
        return ids;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("activityEventEntities").forEach(e -> ids.add(e.path("Id").asText()));
        return ids;
    }

    private static String event(String id, String creationTime) {
        return "{\"Id\":\"" + id + "\",\"CreationTime\":\"" + creationTime + "\",\"Operation\":\"ViewReport\","
                + "\"Activity\":\"ViewReport\",\"Workload\":\"PowerBI\","
                + "\"UserId\":\"megan.bowen@contoso.onmicrosoft.com\"}";
    }

    private String url(String query) {
        return simulator.baseUrl() + "/powerbi/v1.0/myorg/admin/activityevents?" + query;
    }

    private HttpResponse<String> get(String query) throws Exception {
        return client.get(url(query), token);
    }

    private static void assertInvalid(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo("InvalidRequest");
        assertThat(json(response).path("error").path("message").asText()).isNotBlank();
    }
}
