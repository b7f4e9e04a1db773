package org.o365audit.it.receivers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A webhook endpoint for the sink's HMAC-signed POSTs (siem-formats.md §6, "our scheme"). It checks the
 * Standard Webhooks signature and {@code X-Hub-Signature-256} over the raw bytes, answers a repeated
 * {@code webhook-id} with 200 without counting its records again, and tracks every record {@code Id} per tenant so
 * a test can tell "all records arrived exactly once" from "some arrived twice in different batches".
 */
public final class WebhookReceiver extends HttpsReceiver {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String path;
    private final byte[] key;
    private final byte[] hubKey;
    private final ScriptedFailures scripted = new ScriptedFailures();
    private volatile boolean hubSignatureRequired = true;
    private volatile Duration timestampTolerance = Duration.ofMinutes(5);
    private final AtomicReference<HeldAnswer> nextHold = new AtomicReference<>();
    private volatile int refuseEveryRequestWith;
    private volatile int maxBodyBytes = Integer.MAX_VALUE;
    private final AtomicInteger refusedRequests = new AtomicInteger();
    private final AtomicInteger tooLargeRequests = new AtomicInteger();

    // all guarded by this
    private final Set<String> webhookIds = new HashSet<>();
    private final Map<String, Set<String>> recordIdsByTenant = new LinkedHashMap<>();
    private final Map<String, String> firstBatchOfRecord = new HashMap<>();
    private final Map<String, List<String>> recordsOfBatch = new HashMap<>();
    private final List<String> alteredRedeliveries = new ArrayList<>();
    private final List<String> duplicates = new ArrayList<>();
    private final List<byte[]> batches = new ArrayList<>();   // bodies as they came; read as trees only when asked
    private int requests;
    private int deliveries;
    private int redeliveries;
    private int redeliveredRecords;
    private int recordArrivals;
    private int rejectedSignatures;
    private int malformedBatches;
    private String lastRejection = "";

    private WebhookReceiver(String path, String secret) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        this.path = path;
        this.key = WebhookSignatures.key(secret);
        this.hubKey = WebhookSignatures.hubKey(secret);
    }

    /** Listens on a free port of 127.0.0.1 for POSTs to {@code path} signed with {@code secret}. */
    public static WebhookReceiver start(String path, String secret) {
        WebhookReceiver receiver = new WebhookReceiver(path, secret);
        receiver.listen();
        return receiver;
    }

    /** {@code https://127.0.0.1:<port><path>}. */
    public String url() {
        return baseUrl() + path;
    }

    /** Whether {@code X-Hub-Signature-256} must be present (default true); when present it is always checked. */
    public WebhookReceiver requireHubSignature(boolean required) {
        this.hubSignatureRequired = required;
        return this;
    }

    /** How far {@code webhook-timestamp} may be from now (default 5 minutes, as Standard Webhooks suggests). */
    public WebhookReceiver timestampTolerance(Duration tolerance) {
        this.timestampTolerance = tolerance;
        return this;
    }

    /**
     * Answers the next {@code times} requests with {@code status} before looking at them: 429 and 503 carry
     * {@code Retry-After: 1}, 4xx a JSON error body. Calls queue up.
     */
    public void respondWith(int status, int times) {
        scripted.add(status, times);
    }

    /**
     * Until {@link #answerNormally()}, every request is answered {@code status} before it is looked at, as a
     * webhook does whose token, URL or settings do not match the sender's: 3xx carries a Location (with a
     * token in its query, which the sender must not repeat), 4xx a JSON error body.
     */
    public void answerEveryRequestWith(int status) {
        refuseEveryRequestWith = status;
    }

    public void answerNormally() {
        refuseEveryRequestWith = 0;
    }

    /** Requests answered by {@link #answerEveryRequestWith}. */
    public int refusedRequests() {
        return refusedRequests.get();
    }

    /** Bodies larger than this are answered 413, as a proxy's or framework's request size limit does. */
    public void maxBodyBytes(int max) {
        maxBodyBytes = max;
    }

    /** Requests answered 413 because of {@link #maxBodyBytes}. */
    public int tooLargeRequests() {
        return tooLargeRequests.get();
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        synchronized (this) {
            requests++;
        }
        if (!exchange.getRequestURI().getPath().equals(path)) {
            sendJson(exchange, 404, "{\"error\":\"no webhook at " + exchange.getRequestURI().getPath() + "\"}");
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            sendEmpty(exchange, 405);
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        int refusing = refuseEveryRequestWith;
        if (refusing != 0) {
            refusedRequests.incrementAndGet();
            answerScripted(exchange, refusing);
            return;
        }
        int status = scripted.next();
        if (status != 0) {
            answerScripted(exchange, status);
            return;
        }
        if (body.length > maxBodyBytes) {
            tooLargeRequests.incrementAndGet();
            sendJson(exchange, 413, "{\"error\":\"request body over " + maxBodyBytes + " bytes\"}");
            return;
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String signatureProblem = signatureProblem(exchange, id, body);
        if (signatureProblem != null) {
            synchronized (this) {
                rejectedSignatures++;
                lastRejection = signatureProblem;
            }
            sendJson(exchange, 401, JSON.createObjectNode().put("error", signatureProblem).toString());
            return;
        }
        WebhookBatch batch;
        try {
            batch = WebhookBatch.read(id, body);
        } catch (IllegalArgumentException e) {
            synchronized (this) {
                malformedBatches++;
                lastRejection = e.getMessage();
            }
            sendJson(exchange, 400, JSON.createObjectNode().put("error", e.getMessage()).toString());
            return;
        }
        accept(id, batch, body);
        HeldAnswer held = nextHold.getAndSet(null);
        if (held != null) {
            held.hold(id);
            try {
                sendJson(exchange, 200, "{\"status\":\"ok\"}");
            } catch (IOException senderGone) {
                // the test killed the sender while the answer was held: that was the point
            }
            return;
        }
        sendJson(exchange, 200, "{\"status\":\"ok\"}");
    }

    /**
     * The next correctly signed batch is accepted (counted as usual), then its 200 is held back until
     * {@link HeldAnswer#release()}: a test kills the sender meanwhile, so the batch has arrived but the sender
     * never heard so. Arming again replaces a hold not reached yet.
     */
    public HeldAnswer holdNextAnswer() {
        HeldAnswer held = new HeldAnswer();
        HeldAnswer replaced = nextHold.getAndSet(held);
        if (replaced != null) {
            replaced.release();
        }
        return held;
    }

    /** One answer held back by {@link #holdNextAnswer()}. */
    public final class HeldAnswer {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile String webhookId;

        private HeldAnswer() {
        }

        private void hold(String id) {
            webhookId = id;
            reached.countDown();
            try {
                released.await(2, TimeUnit.MINUTES);   // never forever, should a test forget to release
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until a batch was accepted and its answer is being held; false when none came in time. */
        public boolean awaitHeld(Duration timeout) throws InterruptedException {
            return reached.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** The webhook-id of the held batch, null before one arrived. */
        public String webhookId() {
            return webhookId;
        }

        /** Sends the held answer (or disarms the hold when no batch reached it yet). */
        public void release() {
            nextHold.compareAndSet(this, null);
            released.countDown();
        }
    }

    private static void answerScripted(HttpExchange exchange, int status) throws IOException {
        if (status == 429 || status == 503) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        if (status >= 300 && status < 400) {
            exchange.getResponseHeaders().set("Location", "https://hooks.example.com/v2/o365?token=redirect-secret-token");
        }
        if (status >= 400 && status < 500) {
            sendJson(exchange, status, "{\"error\":\"rejected by test script\",\"status\":" + status + "}");
        } else {
            sendEmpty(exchange, status);
        }
    }

    private String signatureProblem(HttpExchange exchange, String id, byte[] body) {
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
        String hub = exchange.getRequestHeaders().getFirst("X-Hub-Signature-256");
        if (id == null || id.isBlank() || timestamp == null || signature == null) {
            return "missing webhook-id, webhook-timestamp or webhook-signature";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "webhook-timestamp is not integer seconds: " + timestamp;
        }
        long skew = Math.abs(Instant.now().getEpochSecond() - seconds);
        if (skew > timestampTolerance.toSeconds()) {
            return "webhook-timestamp is " + skew + " s away from now";
        }
        if (!WebhookSignatures.standardMatches(key, signature, id, timestamp, body)) {
            return "webhook-signature does not match";
        }
        if (hub == null ? hubSignatureRequired : !WebhookSignatures.hubMatches(hubKey, hub, body)) {
            return hub == null ? "missing X-Hub-Signature-256" : "X-Hub-Signature-256 does not match";
        }
        return null;
    }

    private synchronized void accept(String webhookId, WebhookBatch batch, byte[] body) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < batch.tenantIds().size(); i++) {
            keys.add(batch.tenantIds().get(i) + "/" + batch.recordIds().get(i));
        }
        if (!webhookIds.add(webhookId)) {
            redeliveries++;
            redeliveredRecords += keys.size();
            List<String> first = recordsOfBatch.get(webhookId);
            if (!keys.equals(first)) {
                alteredRedeliveries.add(webhookId + ": first " + first.size() + " record(s), again " + keys.size()
                        + (Set.copyOf(keys).equals(Set.copyOf(first)) ? " (same Ids, other order)" : " (other Ids)"));
            }
            return;
        }
        deliveries++;
        batches.add(body);
        recordsOfBatch.put(webhookId, keys);
        for (int i = 0; i < keys.size(); i++) {
            String tenant = batch.tenantIds().get(i);
            String recordId = batch.recordIds().get(i);
            recordArrivals++;
            String earlier = firstBatchOfRecord.putIfAbsent(tenant + "\u0000" + recordId, webhookId);
            if (earlier != null) {
                duplicates.add(tenant + "/" + recordId + " in " + earlier + " and " + webhookId);
            }
            recordIdsByTenant.computeIfAbsent(tenant, t -> new LinkedHashSet<>()).add(recordId);
        }
        notifyAll();
    }

    /** POSTs of any kind, including rejected and scripted ones. */
    public synchronized int requests() {
        return requests;
    }

    /** Accepted batches with a webhook-id not seen before. */
    public synchronized int deliveries() {
        return deliveries;
    }

    /** Accepted batches whose webhook-id had been accepted before (answered 200, records not counted). */
    public synchronized int redeliveries() {
        return redeliveries;
    }

    /** Records in the batches counted by {@link #redeliveries()} (sent again under an accepted webhook-id, not counted again). */
    public synchronized int redeliveredRecords() {
        return redeliveredRecords;
    }

    /**
     * Redeliveries whose records differ from those first accepted under the same webhook-id; should be empty,
     * since a receiver that deduplicates on the id drops whatever a changed resend carries.
     */
    public synchronized List<String> alteredRedeliveries() {
        return List.copyOf(alteredRedeliveries);
    }

    /** Record Ids seen, all tenants together. */
    public synchronized Set<String> distinctRecordIds() {
        Set<String> all = new LinkedHashSet<>();
        recordIdsByTenant.values().forEach(all::addAll);
        return all;
    }

    public synchronized Set<String> distinctRecordIds(String tenantId) {
        return Set.copyOf(recordIdsByTenant.getOrDefault(tenantId, Set.of()));
    }

    /** Distinct (tenantId, Id) pairs seen. */
    public synchronized int distinctRecordCount() {
        return firstBatchOfRecord.size();
    }

    /** Records in accepted, non-repeated batches. */
    public synchronized int recordArrivals() {
        return recordArrivals;
    }

    /** Records that arrived again in another batch (or twice in one); should be 0. */
    public synchronized int duplicateRecordArrivals() {
        return duplicates.size();
    }

    /** {@code tenant/Id in <first batch> and <later batch>} for each duplicate arrival. */
    public synchronized List<String> duplicates() {
        return List.copyOf(duplicates);
    }

    /** Requests answered 401 for a missing or wrong signature or a stale timestamp. */
    public synchronized int rejectedSignatures() {
        return rejectedSignatures;
    }

    /** Correctly signed requests answered 400 because the body did not have the batch shape. */
    public synchronized int malformedBatches() {
        return malformedBatches;
    }

    public synchronized String lastRejection() {
        return lastRejection;
    }

    /** Scripted answers from {@link #respondWith} not given yet (0 once all were used). */
    public int scriptedResponses() {
        return scripted.pending();
    }

    /** Requests answered from {@link #respondWith} so far. */
    public int scriptedResponsesGiven() {
        return scripted.used();
    }

    /** Accepted batch bodies, in arrival order, repeats left out. */
    public synchronized List<ObjectNode> batches() {
        List<ObjectNode> trees = new ArrayList<>(batches.size());
        for (byte[] body : batches) {
            try {
                trees.add((ObjectNode) JSON.readTree(body));
            } catch (IOException e) {
                throw new IllegalStateException("an accepted batch is JSON", e);
            }
        }
        return trees;
    }

    /** Waits until {@code n} distinct (tenantId, Id) records have arrived; fails the test otherwise. */
    public synchronized Set<String> awaitRecords(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (firstBatchOfRecord.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + n + " distinct records at " + url() + " within " + timeout
                        + ", got " + this);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for records", e);
            }
        }
        return distinctRecordIds();
    }

    @Override
    public synchronized String toString() {
        return "WebhookReceiver{requests=" + requests + ", deliveries=" + deliveries + ", redeliveries=" + redeliveries
                + ", redeliveredRecords=" + redeliveredRecords + ", alteredRedeliveries=" + alteredRedeliveries.size()
                + ", distinctRecords=" + firstBatchOfRecord.size() + ", recordArrivals=" + recordArrivals
                + ", duplicates=" + duplicates.size() + ", rejectedSignatures=" + rejectedSignatures
                + ", malformedBatches=" + malformedBatches + ", lastRejection=" + lastRejection + "}";
    }
}
