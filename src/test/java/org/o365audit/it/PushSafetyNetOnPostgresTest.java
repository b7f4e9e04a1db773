package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Push on the real PostgreSQL (schema o365_push) with a short safety-net poll: what push misses, the poll collects. */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_push",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_push",
        "spring.flyway.create-schemas=true",
        "o365.webhook.safety-net-interval=2s"})
class PushSafetyNetOnPostgresTest extends PushScenarios {
    static {
        Postgres.dropSchema("o365_push");
    }

    @Test
    void aMissedNotificationIsCaughtByTheSafetyNetPoll() {
        TestTenant t = pushTenant();
        startWithWebhook(t);
        t.sim().skipNextNotification();
        t.sim().addBlob(freshBlob(t, "missed", 6));
        awaitStored(t, 6);
        assertThat(t.sim().notificationStatuses()).isEmpty();
        assertThat(ledgered(t)).isEqualTo(1);
    }

    @Test
    void aDisabledWebhookIsDetectedAndStartedAgain() {
        TestTenant t = pushTenant();
        startWithWebhook(t);
        int starts = t.sim().startCalls(EXCHANGE);
        t.sim().webhookStatus(EXCHANGE, "disabled");   // as Microsoft does after repeated failed deliveries
        // the 15-minute wait after the first start is over (on both sides)
        t.sim().forgetSubscriptionStarts();
        jdbc.update("DELETE FROM subscription_state WHERE tenant_id = ?", t.id());
        await().atMost(PATIENCE).until(() -> t.sim().startCalls(EXCHANGE) > starts
                && "enabled".equals(t.sim().webhookStatus(EXCHANGE)));
        // and it delivers again
        t.sim().addBlob(freshBlob(t, "after", 2));
        awaitStored(t, 2);
        assertThat(t.sim().notificationStatuses()).contains(200);
    }

    @Test
    void aLateNotificationOfABlobThePollCollectedDoesNothing() {
        TestTenant t = pushTenant();
        startWithWebhook(t);
        t.sim().delayNextNotification(java.time.Duration.ofSeconds(6));
        t.sim().addBlob(freshBlob(t, "late", 3));
        awaitStored(t, 3);   // by the safety-net poll, 2 s apart
        assertThat(t.sim().notificationStatuses()).isEmpty();
        await().atMost(PATIENCE).until(() -> t.sim().notificationStatuses().size() == 1);
        assertThat(t.sim().notificationStatuses()).containsExactly(200);
        await().during(java.time.Duration.ofSeconds(1)).atMost(java.time.Duration.ofSeconds(3))
                .until(() -> blobFetches(t) == 1 && stored(t) == 3 && ledgered(t) == 1);
    }
}
