package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Push on the real PostgreSQL (schema o365_push), the safety-net poll 10 minutes apart: after the first poll, only a
 * notification can explain a blob stored within seconds.
 */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_push",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_push",
        "spring.flyway.create-schemas=true",
        "o365.webhook.safety-net-interval=10m"})
class PushOnPostgresTest extends PushScenarios {
    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    static {
        Postgres.dropSchema("o365_push");
    }

    @Test
    void aNotifiedBlobIsStoredWithinTwoSecondsOfTheNotification() {
        TestTenant t = pushTenant();
        startWithWebhook(t);
        long before = System.nanoTime();
        t.sim().addBlob(freshBlob(t, "push", 5));   // the simulator posts the notification at once
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> stored(t) == 5);
        assertThat(since(before)).isLessThan(Duration.ofSeconds(2));
        assertThat(t.sim().notificationStatuses()).containsExactly(200);
        assertThat(ledgered(t)).isEqualTo(1);
        assertThat(meters.find("o365.blob.announced.to.stored").tags("tenant", t.props().getName(), "via", "push")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void aRepeatedNotificationStoresNothingTwice() throws Exception {
        TestTenant t = pushTenant();
        startWithWebhook(t);
        t.sim().repeatNextNotification();
        t.sim().addBlob(freshBlob(t, "again", 4));
        await().atMost(Duration.ofSeconds(10)).until(() -> t.sim().notificationStatuses().size() == 2);
        assertThat(t.sim().notificationStatuses()).containsExactly(200, 200);
        awaitStored(t, 4);
        Thread.sleep(500);   // the second delivery's work, if any, is over by now
        assertThat(stored(t)).isEqualTo(4);
        assertThat(ledgered(t)).isEqualTo(1);
        // the repeat found the blob in the ledger and did not even download it again
        assertThat(blobFetches(t)).isEqualTo(1);
    }

    @Test
    void aNotificationWithAWrongAuthIdIsRefusedAndNothingIsFetched() throws Exception {
        TestTenant t = pushTenant();
        startWithWebhook(t);
        t.sim().wrongAuthIdOnNextNotification();
        t.sim().addBlob(freshBlob(t, "forged", 3));
        await().atMost(Duration.ofSeconds(10)).until(() -> t.sim().notificationStatuses().size() == 1);
        assertThat(t.sim().notificationStatuses()).containsExactly(403);
        Thread.sleep(1000);
        assertThat(blobFetches(t)).isZero();
        assertThat(stored(t)).isZero();
    }

    @Test
    void badNotificationsAreRefusedOrLeftOutOneByOneAndNothingElseBreaks() throws Exception {
        TestTenant t = pushTenant();
        startWithWebhook(t);
        String auth = t.props().getWebhook().getAuthId();
        assertThat(post(t, auth, "[{not json")).isEqualTo(400);
        assertThat(post(t, auth, "{\"contentId\":\"x\"}")).isEqualTo(400);
        assertThat(post(t, auth, "x".repeat(8 * 1024 * 1024 + 1))).isEqualTo(413);
        assertThat(post(t, null, "[]")).isEqualTo(403);
        // entries of another tenant, of a content type not collected, or whose contentUri is on another host: left out
        String uri = MICROSOFT.baseUrl() + "/api/v1.0/" + t.id() + "/activity/feed/audit/x1";
        String entries = "[" + entry(UUID.randomUUID().toString(), EXCHANGE, "x1", uri) + ","
                + entry(t.id(), "Audit.SharePoint", "x2", uri.replace("x1", "x2")) + ","
                + entry(t.id(), EXCHANGE, "x3", "https://attacker.example/steal-the-token") + "]";
        assertThat(post(t, auth, entries)).isEqualTo(200);
        // and a good notification right after is collected
        t.sim().addBlob(freshBlob(t, "good", 3));
        awaitStored(t, 3);
        assertThat(ledgered(t)).isEqualTo(1);
        assertThat(blobFetches(t)).isEqualTo(1);
    }

    private static String entry(String tenantId, String type, String id, String uri) {
        return "{\"tenantId\":\"" + tenantId + "\",\"contentType\":\"" + type + "\",\"contentId\":\"" + id
                + "\",\"contentUri\":\"" + uri + "\",\"contentCreated\":\"2026-01-01T00:00:00.000Z\","
                + "\"contentExpiration\":\"2026-01-08T00:00:00.000Z\"}";
    }

    private int post(TestTenant t, String authId, String body) throws Exception {
        java.net.http.HttpRequest.Builder r = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(t.props().getWebhook().getAddress()))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (authId != null) {
            r.header("Webhook-AuthID", authId);
        }
        return java.net.http.HttpClient.newHttpClient().send(r.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
