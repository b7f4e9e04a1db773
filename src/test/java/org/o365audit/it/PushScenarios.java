package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.o365audit.Application;
import org.o365audit.simulator.SimBlob;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Push notifications end to end: the collector's Spring server (plain HTTP on a random port, on the loopback host)
 * is the webhook the HTTPS simulator validates and notifies; blobs are fetched with real msal4j tokens and stored in
 * the real database. Subclasses pick the database and the safety-net poll interval.
 */
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "o365.simulator.mode=never",
        "o365.poll-interval=1s",
        "o365.initial-backoff=100ms",
        "o365.batch-size=7",
        "o365.http-timeout=4s",
        "o365.blob-max-attempts=2",
        "o365.sinks.archive.enabled=false",
        "logging.level.org.o365audit=DEBUG"})
abstract class PushScenarios extends CollectorTestBase {
    @LocalServerPort
    int port;

    /** A tenant with push on: its webhook is this collector's endpoint, with a fresh auth id. */
    TestTenant pushTenant() {
        TestTenant t = tenant();
        t.props().getWebhook().setAddress("http://127.0.0.1:" + port + "/api/o365/notifications/" + t.id());
        t.props().getWebhook().setAuthId(UUID.randomUUID().toString());
        return t;
    }

    /** Started, and its first (safety-net) poll has started the subscription with a validated webhook. */
    void startWithWebhook(TestTenant t) {
        start(t);
        await().atMost(PATIENCE).until(() -> "enabled".equals(t.sim().webhookStatus(EXCHANGE)));
        // the first poll is done (its listing ran): what comes next can only come by push or a later poll
        await().atMost(PATIENCE).until(() -> !apiCalls(t, "/subscriptions/content").isEmpty());
    }

    SimBlob freshBlob(TestTenant t, String tag, int n) {
        return blob(t, tag, 0, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), n);
    }

    int blobFetches(TestTenant t) {
        return apiCalls(t, "/activity/feed/audit/").size();
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
