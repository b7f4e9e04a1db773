package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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
}
