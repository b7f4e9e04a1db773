package org.o365audit.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManagementApiSimulatorTest {

    private static final String TENANT = "41463f53-8812-40f4-890f-865bf6e35190";
    private static final String OTHER_TENANT = "8d4121ed-0008-406d-bff9-0d5bb312183c";
    private static final String CLIENT_ID = "6f1c2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
    private static final String SECRET = "s3cr3t~value";
    private static final String PUBLISHER = "11111111-2222-3333-4444-555555555555";
    private static final String EXCHANGE = "Audit.Exchange";
    private static final DateTimeFormatter QUERY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-15T12:00:00Z"));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ManagementApiSimulator simulator;
    private SimulatedTenant tenant;

    @BeforeEach
    void start() {
        simulator = ManagementApiSimulator.start(0, clock, TestTls.LOCALHOST);
        tenant = simulator.tenant(TENANT);
        tenant.registerSecret(CLIENT_ID, SECRET);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    // --- token endpoint ---

    @Test
    void issuesTokenForRegisteredSecretAndRejectsWrongOne() throws Exception {
        HttpResponse<String> ok = tokenRequest(TENANT, CLIENT_ID, SECRET);
        JsonNode body = json(ok);
        assertEquals(200, ok.statusCode());
        assertEquals("Bearer", body.path("token_type").asText());
        assertEquals(3599, body.path("expires_in").asInt());
        assertEquals(3599, body.path("ext_expires_in").asInt());
        assertFalse(body.path("access_token").asText().isEmpty());

        HttpResponse<String> wrong = tokenRequest(TENANT, CLIENT_ID, "not-the-secret");
        assertEquals(401, wrong.statusCode());
        assertEquals("invalid_client", json(wrong).path("error").asText());
        assertEquals(7000215, json(wrong).path("error_codes").get(0).asInt());
        assertTrue(json(wrong).path("error_description").asText().startsWith("AADSTS7000215:"));

        HttpResponse<String> unknownClient = tokenRequest(TENANT, "unknown-app", SECRET);
        assertEquals(400, unknownClient.statusCode());
        assertEquals(700016, json(unknownClient).path("error_codes").get(0).asInt());

        assertEquals(1, tenant.tokensIssued());
        List<RecordedRequest> recorded = tenant.requests();
        assertEquals(3, recorded.size());
        assertEquals("/" + TENANT + "/oauth2/v2.0/token", recorded.get(0).path());
        assertEquals(List.of(200, 401, 400), recorded.stream().map(RecordedRequest::status).toList());
    }

    @Test
    void advertisesConfiguredLifetime() throws Exception {
        tenant.advertisedTokenLifetime(Duration.ofMinutes(75));
        assertEquals(4500, json(tokenRequest(TENANT, CLIENT_ID, SECRET)).path("expires_in").asInt());
    }

    @Test
    void msal4jObtainsTokenWithSecret() throws Exception {
        ConfidentialClientApplication app = ConfidentialClientApplication
                .builder(CLIENT_ID, ClientCredentialFactory.createFromSecret(SECRET))
                .authority(simulator.baseUrl() + "/" + TENANT + "/")
                .instanceDiscovery(false)
                .validateAuthority(false)
                .build();
        IAuthenticationResult result = acquire(app);

        assertEquals(1, tenant.tokensIssued());
        assertEquals(200, get(api("subscriptions/list"), result.accessToken()).statusCode());
    }

    @Test
    void msal4jObtainsTokenWithCertificate() throws Exception {
        tenant.registerCertificate(CLIENT_ID, clientCertificate());
        ConfidentialClientApplication app;
        try (InputStream pkcs12 = Files.newInputStream(Path.of("src/test/resources/certs/client.p12"))) {
            app = ConfidentialClientApplication
                    .builder(CLIENT_ID, ClientCredentialFactory.createFromCertificate(pkcs12, "changeit"))
                    .authority(simulator.baseUrl() + "/" + TENANT + "/")
                    .instanceDiscovery(false)
                    .validateAuthority(false)
                    .build();
        }
        IAuthenticationResult result = acquire(app);

        assertEquals(200, get(api("subscriptions/list"), result.accessToken()).statusCode());
    }

    @Test
    void msal4jCertificateIsRefusedWhenNotRegistered() throws Exception {
        ConfidentialClientApplication app;
        try (InputStream pkcs12 = Files.newInputStream(Path.of("src/test/resources/certs/client.p12"))) {
            app = ConfidentialClientApplication
                    .builder(CLIENT_ID, ClientCredentialFactory.createFromCertificate(pkcs12, "changeit"))
                    .authority(simulator.baseUrl() + "/" + TENANT + "/")
                    .instanceDiscovery(false)
                    .validateAuthority(false)
                    .build();
        }
        Exception e = assertThrows(Exception.class, () -> acquire(app));
        assertTrue(String.valueOf(e.getMessage()).contains("AADSTS700027"), e.getMessage());
        assertEquals(0, tenant.tokensIssued());
    }

    @Test
    void acceptsPs256AssertionAndRejectsTamperedOne() throws Exception {
        tenant.registerCertificate(CLIENT_ID, clientCertificate());
        String audience = simulator.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token";
        long now = Instant.now().getEpochSecond();
        String header = b64("{\"alg\":\"PS256\",\"typ\":\"JWT\"}");
        String claims = b64("{\"aud\":\"" + audience + "\",\"iss\":\"" + CLIENT_ID + "\",\"sub\":\"" + CLIENT_ID
                + "\",\"jti\":\"1\",\"nbf\":" + now + ",\"exp\":" + (now + 600) + "}");
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        pss.initSign(clientKey());
        pss.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(pss.sign());

        assertEquals(200, assertionRequest(header + "." + claims + "." + signature).statusCode());

        String otherClaims = b64("{\"aud\":\"" + audience + "\",\"iss\":\"" + CLIENT_ID + "\",\"sub\":\"" + CLIENT_ID
                + "\",\"jti\":\"2\",\"nbf\":" + now + ",\"exp\":" + (now + 6000) + "}");
        HttpResponse<String> tampered = assertionRequest(header + "." + otherClaims + "." + signature);
        assertEquals(401, tampered.statusCode());
        assertEquals(700027, json(tampered).path("error_codes").get(0).asInt());
    }

    // --- subscriptions ---

    @Test
    void subscriptionStartFollowsTheServiceRules() throws Exception {
        String token = token();
        HttpResponse<String> beforeStart = get(listUrl(EXCHANGE, null, null), token);
        assertError(beforeStart, 400, "AF20022");

        HttpResponse<String> started = post(api("subscriptions/start?contentType=" + EXCHANGE), token);
        assertEquals(200, started.statusCode());
        assertEquals("enabled", json(started).path("status").asText());
        assertTrue(json(started).has("webhook") && json(started).path("webhook").isNull());
        assertEquals(SubscriptionState.ENABLED, tenant.subscriptionState(EXCHANGE));

        clock.advance(Duration.ofMinutes(16));
        assertError(post(api("subscriptions/start?contentType=" + EXCHANGE), token), 400, "AF20024");

        clock.advance(Duration.ofSeconds(4));
        HttpResponse<String> tooSoon = post(api("subscriptions/start?contentType=" + EXCHANGE), token);
        assertError(tooSoon, 429, "AF20058");
        assertTrue(json(tooSoon).path("error").path("message").asText()
                .endsWith("Please retry again after 14m 56s"), tooSoon.body());

        assertError(post(api("subscriptions/start?contentType=Audit.Nope"), token), 400, "AF20020");
        assertEquals(3, tenant.startCalls(EXCHANGE));

        JsonNode list = json(get(api("subscriptions/list"), token));
        assertEquals(1, list.size());
        assertEquals(EXCHANGE, list.get(0).path("contentType").asText());
        assertEquals("enabled", list.get(0).path("status").asText());
    }

    @Test
    void disabledSubscriptionAndAuditingOffAnswerAF20023() throws Exception {
        String token = token();
        tenant.subscriptionState(EXCHANGE, SubscriptionState.DISABLED);
        assertError(get(listUrl(EXCHANGE, null, null), token), 400, "AF20023");

        tenant.subscriptionState(EXCHANGE, SubscriptionState.ENABLED);
        assertEquals(200, get(listUrl(EXCHANGE, null, null), token).statusCode());
        tenant.auditingOff(true);
        assertError(get(listUrl(EXCHANGE, null, null), token), 400, "AF20023");
        assertError(get(listUrl("DLP.All", null, null), token), 400, "AF20023");
    }

    // --- listing ---

    @Test
    void listsContentInPagesFollowingNextPageUri() throws Exception {
        tenant.subscriptionState(EXCHANGE, SubscriptionState.ENABLED);
        tenant.pageSize(2);
        Instant now = clock.instant();
        List<String> expected = new ArrayList<>();
        for (int i = 5; i >= 1; i--) {
            String id = "2026061511" + i + "$blob" + i + "$audit_exchange$Audit_Exchange$emea0025";
            Instant created = now.minus(Duration.ofMinutes(10L * i));
            tenant.addBlob(SimBlob.ofRecords(EXCHANGE, id, created, created,
                    List.of("{\"Id\":\"r" + i + "\",\"Operation\":\"Set-Mailbox\"}")));
            expected.add(id);
        }
        Instant old = now.minus(Duration.ofHours(30));
        tenant.addBlob(SimBlob.ofRecords(EXCHANGE, "outside-window", old, old, List.of("{}")));

        String token = token();
        String url = listUrl(EXCHANGE, now.minus(Duration.ofHours(2)), now) + "&PublisherIdentifier=" + PUBLISHER;
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (url != null) {
            HttpResponse<String> page = get(url, token);
            assertEquals(200, page.statusCode(), page.body());
            for (JsonNode entry : json(page)) {
                seen.add(entry.path("contentId").asText());
                assertTrue(entry.path("contentCreated").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
                assertEquals(Instant.parse(entry.path("contentCreated").asText()).plus(Duration.ofDays(7)),
                        Instant.parse(entry.path("contentExpiration").asText()));
            }
            url = page.headers().firstValue("NextPageUri").orElse(null);
            if (url != null) {
                assertTrue(url.startsWith(simulator.baseUrl() + "/api/v1/" + TENANT + "/activity/feed/subscriptions/content?"), url);
                assertTrue(url.contains("&nextPage="), url);
                url = url + "&PublisherIdentifier=" + PUBLISHER;
            }
            pages++;
        }
        assertEquals(expected, seen);
        assertEquals(3, pages);
        assertTrue(tenant.requests().stream()
                .filter(r -> r.path().endsWith("/subscriptions/content"))
                .allMatch(RecordedRequest::hasPublisherIdentifier));
    }

    @Test
    void retrievesBlobFromItsContentUri() throws Exception {
        tenant.subscriptionState(EXCHANGE, SubscriptionState.ENABLED);
        Instant created = clock.instant().minus(Duration.ofMinutes(5));
        List<String> records = List.of("{\"Id\":\"a\",\"ClientIP\":\"13.82.145.167:19388\"}", "{\"Id\":\"b\"}");
        String contentId = "20260615115500123456789$20260615115500123456789$audit_exchange$Audit_Exchange$emea0025";
        tenant.addBlob(SimBlob.ofRecords(EXCHANGE, contentId, created, created, records));
        String token = token();

        JsonNode listing = json(get(listUrl(EXCHANGE, null, null), token));
        String contentUri = listing.get(0).path("contentUri").asText();
        assertTrue(contentUri.contains("%24"), contentUri);
        HttpResponse<String> blob = get(contentUri + "?PublisherIdentifier=" + PUBLISHER, token);

        assertEquals(200, blob.statusCode());
        assertEquals("[" + String.join(",", records) + "]", blob.body());
        assertEquals("application/json; charset=utf-8", blob.headers().firstValue("Content-Type").orElse(""));
        RecordedRequest last = tenant.requests().get(tenant.requests().size() - 1);
        assertTrue(last.path().endsWith("/audit/" + contentId), last.path());
        assertEquals(PUBLISHER, last.query().get("PublisherIdentifier"));
        assertEquals("Bearer " + token, last.authorization());
    }

    @Test
    void listsForeignContentUriVerbatim() throws Exception {
        tenant.subscriptionState(EXCHANGE, SubscriptionState.ENABLED);
        Instant created = clock.instant().minus(Duration.ofMinutes(5));
        tenant.addBlob(SimBlob.ofRecords(EXCHANGE, "x$1", created, created, List.of("{}"))
                .withContentUri("https://foreign.example/steal"));
        JsonNode listing = json(get(listUrl(EXCHANGE, null, null), token()));
        assertEquals("https://foreign.example/steal", listing.get(0).path("contentUri").asText());
    }

    @Test
    void streamsBlobChunkedAndAnswersUnknownAndExpiredContent() throws Exception {
        Instant created = clock.instant().minus(Duration.ofMinutes(5));
        tenant.addBlob(SimBlob.ofStream(EXCHANGE, "big$1", created, created, out -> {
            out.write('[');
            for (int i = 0; i < 1000; i++) {
                out.write(((i == 0 ? "" : ",") + "{\"Id\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            out.write(']');
        }));
        String token = token();
        HttpResponse<String> streamed = get(auditUrl("big$1"), token);
        assertEquals(200, streamed.statusCode());
        assertEquals(1000, json(streamed).size());
        assertEquals("chunked", streamed.headers().firstValue("Transfer-Encoding").orElse(""));

        assertError(get(auditUrl("no-such-blob"), token), 400, "AF20050");

        tenant.addBlob(SimBlob.ofRecords(EXCHANGE, "old$1", clock.instant().minus(Duration.ofDays(6)), null, List.of("{}")));
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        assertError(get(auditUrl("old$1"), token()), 400, "AF20051"); // a fresh token: the first one is a day old
    }

    @Test
    void rejectsWindowsTheServiceRejects() throws Exception {
        tenant.subscriptionState(EXCHANGE, SubscriptionState.ENABLED);
        String token = token();
        Instant now = clock.instant();
        String base = api("subscriptions/content?contentType=" + EXCHANGE);

        assertError(get(base + "&startTime=" + QUERY_TIME.format(now.minus(Duration.ofHours(1))), token), 400, "AF20030");
        assertError(get(listUrl(EXCHANGE, now.minus(Duration.ofHours(25)), now), token), 400, "AF20030");
        assertError(get(listUrl(EXCHANGE, now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(7).plusHours(12))), token),
                400, "AF20030");
        assertError(get(listUrl(EXCHANGE, now, now), token), 400, "AF20055");
        assertError(get(listUrl(EXCHANGE, now, now.minus(Duration.ofHours(1))), token), 400, "AF20055");

        // the real service tolerates about an hour beyond seven days, and future end times
        assertEquals(200, get(listUrl(EXCHANGE, now.minus(Duration.ofDays(7).plusMinutes(30)),
                now.minus(Duration.ofDays(6).plusHours(12))), token).statusCode());
        assertEquals(200, get(listUrl(EXCHANGE, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1))), token).statusCode());
        // the other documented formats
        assertEquals(200, get(base + "&startTime=2026-06-15&endTime=2026-06-15T13:00", token).statusCode());
        assertEquals(200, get(base + "&startTime=2026-06-15T01:00:00.000Z&endTime=2026-06-15T02:00:00Z", token).statusCode());
        assertError(get(base + "&startTime=yesterday&endTime=today", token), 400, "AF20002");
        assertError(get(listUrl(EXCHANGE, null, null) + "&nextPage=%21garbled", token), 400, "AF20031");
    }

    @Test
    void lateBlobIsInvisibleBeforeVisibleFrom() throws Exception {
        tenant.subscriptionState(EXCHANGE, SubscriptionState.ENABLED);
        Instant created = clock.instant().minus(Duration.ofMinutes(10));
        tenant.addBlob(SimBlob.ofRecords(EXCHANGE, "late$1", created, created.plus(Duration.ofHours(2)), List.of("{}")));
        Instant start = created.minus(Duration.ofHours(1));
        Instant end = created.plus(Duration.ofHours(1));

        assertEquals(0, json(get(listUrl(EXCHANGE, start, end), token())).size());
        clock.advance(Duration.ofHours(2));
        JsonNode listing = json(get(listUrl(EXCHANGE, start, end), token()));
        assertEquals(1, listing.size());
        assertEquals("late$1", listing.get(0).path("contentId").asText());
    }

    // --- quirks ---

    @Test
    void throttlesInBothStylesAndNotTokenCalls() throws Exception {
        tenant.throttleNext(1, ThrottleStyle.HTTP_429, Duration.ofSeconds(30));
        String token = token();

        HttpResponse<String> throttled = get(api("subscriptions/list?PublisherIdentifier=" + PUBLISHER), token);
        assertError(throttled, 429, "AF429");
        assertEquals("30", throttled.headers().firstValue("Retry-After").orElse(""));
        assertEquals("Too many requests. Method=ListSubscriptions, PublisherId=" + PUBLISHER,
                json(throttled).path("error").path("message").asText());
        assertEquals(200, get(api("subscriptions/list"), token).statusCode());

        tenant.throttleNext(2, ThrottleStyle.HTTP_403_AF429, null);
        HttpResponse<String> forbidden = get(auditUrl("any"), token);
        assertError(forbidden, 403, "AF429");
        assertTrue(forbidden.headers().firstValue("Retry-After").isEmpty());
        assertTrue(json(forbidden).path("error").path("message").asText()
                .endsWith("Method=GetBlob, PublisherId=00000000-0000-0000-0000-000000000000"));
        assertError(get(api("subscriptions/list"), token), 403, "AF429");
        assertEquals(200, get(api("subscriptions/list"), token).statusCode());
    }

    @Test
    void revokedExpiredAndForeignTokensGet401() throws Exception {
        String token = token();
        assertEquals(200, get(api("subscriptions/list"), token).statusCode());
        assertEquals(401, get(api("subscriptions/list"), null).statusCode());
        assertEquals(401, get(api("subscriptions/list"), "made-up").statusCode());

        tenant.revokeAllTokens();
        assertEquals(401, get(api("subscriptions/list"), token).statusCode());
        String fresh = token();
        assertEquals(200, get(api("subscriptions/list"), fresh).statusCode());

        tenant.serverSideTokenLifetime(Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(31));
        HttpResponse<String> expired = get(api("subscriptions/list"), fresh);
        assertEquals(401, expired.statusCode());
        assertTrue(expired.headers().firstValue("WWW-Authenticate").isPresent());

        SimulatedTenant other = simulator.tenant(OTHER_TENANT);
        other.registerSecret(CLIENT_ID, SECRET);
        String foreign = json(tokenRequest(OTHER_TENANT, CLIENT_ID, SECRET)).path("access_token").asText();
        assertError(get(api("subscriptions/list"), foreign), 401, "AF20010");
    }

    @Test
    void unknownPathsAre404() throws Exception {
        String token = token();
        assertEquals(404, get(api("subscriptions/nothing"), token).statusCode());
        assertEquals(404, get(simulator.baseUrl() + "/somewhere", token).statusCode());
    }

    // --- demo feed ---

    @Test
    void demoFeedFillsAllContentTypesWithCorpusRecordsAndItsQuirks() throws Exception {
        DemoFeed.populate(tenant, clock, Duration.ofDays(7), Duration.ofMinutes(30));

        int malformed = 0;
        int late = 0;
        Map<String, Integer> idCounts = new HashMap<>();
        Set<String> workloads = new java.util.TreeSet<>();
        for (String type : List.of("Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint",
                "Audit.General", "DLP.All")) {
            List<SimBlob> blobs = tenant.blobs(type);
            assertTrue(blobs.size() >= 7 * 48, type + " has " + blobs.size() + " blobs");
            for (SimBlob blob : blobs) {
                assertTrue(blob.contentId().matches("\\d{23}\\$\\d{23}\\$[a-z_]+\\$[A-Za-z_]+\\$[a-z]+\\d{4}"), blob.contentId());
                assertFalse(blob.contentExpiration().isBefore(clock.instant()), blob.toString());
                assertFalse(blob.contentCreated().isAfter(clock.instant()), blob.toString());
                if (blob.visibleFrom().isAfter(blob.contentCreated())) {
                    late++;
                }
                String body = body(blob);
                if (blob.records().isEmpty()) {
                    malformed++;
                    assertThrows(IOException.class, () -> JSON.readTree(body));
                    continue;
                }
                JsonNode records = JSON.readTree(body);
                assertTrue(records.isArray() && records.size() >= 1 && records.size() <= 6);
                for (JsonNode record : records) {
                    assertTrue(record.isObject());
                    assertEquals(TENANT, record.path("OrganizationId").asText());
                    assertTrue(record.path("CreationTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"));
                    Instant eventTime = Instant.parse(record.path("CreationTime").asText() + "Z");
                    assertTrue(eventTime.isBefore(blob.contentCreated()));
                    idCounts.merge(record.path("Id").asText(), 1, Integer::sum);
                    workloads.add(record.path("Workload").asText("(none)"));
                }
            }
        }
        assertTrue(malformed >= 6 && malformed <= 8, "one malformed blob per simulated day, got " + malformed);
        assertTrue(late > 0, "no late blob");
        assertTrue(idCounts.values().stream().anyMatch(n -> n > 1), "no duplicate record across blobs");
        assertTrue(workloads.containsAll(Set.of("AzureActiveDirectory", "Exchange", "SharePoint", "OneDrive",
                "MicrosoftTeams", "PowerBI", "CRM", "MicrosoftFlow", "MicrosoftForms", "Aip", "Copilot")), workloads.toString());

        // regenerating the same history gives the same blobs
        try (ManagementApiSimulator again = ManagementApiSimulator.start(0, clock, TestTls.LOCALHOST)) {
            SimulatedTenant copy = again.tenant(TENANT);
            DemoFeed.populate(copy, clock, Duration.ofDays(7), Duration.ofMinutes(30));
            SimBlob first = tenant.blobs("Audit.General").get(0);
            SimBlob firstAgain = copy.blobs("Audit.General").get(0);
            assertEquals(first.contentId(), firstAgain.contentId());
            assertEquals(body(first), body(firstAgain));
        }

        // and the feed is served: every content type lists content for the last 24 hours
        String token = token();
        for (String type : List.of("Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint",
                "Audit.General", "DLP.All")) {
            assertEquals(200, post(api("subscriptions/start?contentType=" + type), token).statusCode());
            HttpResponse<String> listing = get(listUrl(type, null, null), token);
            assertTrue(json(listing).size() > 0, type);
        }
    }

    @Test
    void trickleAddsBlobsWhileRunning() throws Exception {
        int before = tenant.blobs("DLP.All").size();
        try (AutoCloseable trickle = DemoFeed.startTrickle(tenant, Clock.systemUTC(), Duration.ofMillis(50))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (tenant.blobs("DLP.All").size() < before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertTrue(tenant.blobs("DLP.All").size() >= before + 2);
        for (String type : List.of("Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint", "Audit.General")) {
            assertFalse(tenant.blobs(type).isEmpty(), type);
        }
    }

    // --- helpers ---

    private String api(String operation) {
        return simulator.baseUrl() + "/api/v1.0/" + TENANT + "/activity/feed/" + operation;
    }

    private String auditUrl(String contentId) {
        return api("audit/" + URLEncoder.encode(contentId, StandardCharsets.UTF_8));
    }

    private String listUrl(String contentType, Instant start, Instant end) {
        String url = api("subscriptions/content?contentType=" + contentType);
        if (start != null) {
            url += "&startTime=" + QUERY_TIME.format(start) + "&endTime=" + QUERY_TIME.format(end);
        }
        return url;
    }

    private String token() throws Exception {
        return json(tokenRequest(TENANT, CLIENT_ID, SECRET)).path("access_token").asText();
    }

    private HttpResponse<String> tokenRequest(String tenantId, String clientId, String secret) throws Exception {
        return postForm(tenantId, "grant_type=client_credentials&client_id=" + enc(clientId)
                + "&client_secret=" + enc(secret) + "&scope=" + enc("https://manage.office.com/.default"));
    }

    private HttpResponse<String> assertionRequest(String jwt) throws Exception {
        return postForm(TENANT, "grant_type=client_credentials&client_id=" + enc(CLIENT_ID)
                + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + enc(jwt) + "&scope=" + enc("https://manage.office.com/.default"));
    }

    private HttpResponse<String> postForm(String tenantId, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/" + tenantId + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).path("error").path("code").asText(), response.body());
        assertFalse(JSON.readTree(response.body()).path("error").path("message").asText().isEmpty());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String body(SimBlob blob) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        blob.writeBody(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static IAuthenticationResult acquire(ConfidentialClientApplication app) throws Exception {
        IAuthenticationResult result = app.acquireToken(ClientCredentialParameters
                .builder(Set.of("https://manage.office.com/.default")).build()).get();
        assertNotNull(result.accessToken());
        return result;
    }

    private static X509Certificate clientCertificate() throws Exception {
        try (InputStream pem = Files.newInputStream(Path.of("src/test/resources/certs/client-cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
        }
    }

    private static PrivateKey clientKey() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/certs/client.p12"))) {
            store.load(in, "changeit".toCharArray());
        }
        String alias = store.aliases().nextElement();
        return (PrivateKey) store.getKey(alias, "changeit".toCharArray());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
