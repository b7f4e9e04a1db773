package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Management Activity API's webhook side for one tenant: the validation POST on subscriptions/start, the
 * notification POSTs when a blob becomes available, and the delivery attempts that /subscriptions/notifications lists.
 * As documented: JSON array of content objects with tenantId and clientId, header Webhook-AuthID, any non-200 a
 * failure. Unlike the service, a failed delivery is not retried (the collector's safety-net poll is what a test shows).
 * Test hooks bend the next notification: sent twice, sent late, skipped, or sent with a wrong Webhook-AuthID.
 */
final class WebhookNotifier {

    /** What happens to the next notification. */
    enum Quirk { REPEAT, LATE, SKIP, WRONG_AUTH }

    record Attempt(SimBlob blob, String contentUri, Instant sent, int status) {
    }

    private final String tenantId;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-webhook");
        t.setDaemon(true);
        return t;
    });
    private final Deque<Quirk> quirks = new ArrayDeque<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private volatile Duration lateBy = Duration.ofSeconds(3);
    private volatile String clientId = "";

    WebhookNotifier(String tenantId, Clock clock) {
        this.tenantId = tenantId;
        this.clock = clock;
    }

    /** The app that created the subscription (sent as clientId in every notification). */
    void clientId(String id) {
        clientId = id == null ? "" : id;
    }

    synchronized void quirk(Quirk q, Duration late) {
        quirks.add(q);
        if (late != null) {
            lateBy = late;
        }
    }

    private synchronized Quirk nextQuirk() {
        return quirks.poll();
    }

    /** The validation request of subscriptions/start: true when the address answered 200. */
    boolean validate(SubscriptionBook.Webhook hook) {
        String code = UUID.randomUUID().toString();
        ObjectNode body = Json.object();
        body.put("validationCode", code);
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(hook.address())).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json; charset=utf-8").header("Webhook-ValidationCode", code)
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            if (hook.authId() != null && !hook.authId().isEmpty()) {
                r.header("Webhook-AuthID", hook.authId());
            }
            return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** A blob became available: notified once it is visible, asynchronously, bent by the next quirk if any. */
    void announce(SimBlob blob, String contentUri, SubscriptionBook.Webhook hook) {
        Quirk q = nextQuirk();
        if (q == Quirk.SKIP) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), blob.visibleFrom()).toMillis());
        if (q == Quirk.LATE) {
            delay += lateBy.toMillis();
        }
        String auth = q == Quirk.WRONG_AUTH ? "wrong-" + UUID.randomUUID() : hook.authId();
        sender.schedule(() -> post(blob, contentUri, hook.address(), auth), delay, TimeUnit.MILLISECONDS);
        if (q == Quirk.REPEAT) {
            sender.schedule(() -> post(blob, contentUri, hook.address(), auth), delay + 300, TimeUnit.MILLISECONDS);
        }
    }

    private void post(SimBlob blob, String contentUri, String address, String authId) {
        ArrayNode body = Json.MAPPER.createArrayNode();
        ObjectNode n = content(blob, contentUri);
        body.add(n);
        int status;
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(address)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            if (authId != null && !authId.isEmpty()) {
                r.header("Webhook-AuthID", authId);
            }
            status = http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            status = 0;
        }
        synchronized (this) {
            attempts.add(new Attempt(blob, contentUri, clock.instant(), status));
        }
    }

    private ObjectNode content(SimBlob blob, String contentUri) {
        ObjectNode n = Json.object();
        n.put("tenantId", tenantId);
        n.put("clientId", clientId);
        n.put("contentType", blob.contentType());
        n.put("contentId", blob.contentId());
        n.put("contentUri", contentUri);
        n.put("contentCreated", blob.contentCreated().toString());
        n.put("contentExpiration", blob.contentExpiration().toString());
        return n;
    }

    /** /subscriptions/notifications: the attempts for blobs of this type created in [start, end). */
    synchronized ArrayNode attempts(String contentType, Instant start, Instant end) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Attempt a : attempts) {
            Instant created = a.blob().contentCreated();
            if (a.blob().contentType().equals(contentType) && !created.isBefore(start) && created.isBefore(end)) {
                ObjectNode n = content(a.blob(), a.contentUri());
                n.put("notificationSent", a.sent().toString());
                n.put("notificationStatus", a.status() == 200 ? "Succeeded" : "Failed");
                out.add(n);
            }
        }
        return out;
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }
}
