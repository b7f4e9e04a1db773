package org.o365audit.it.receivers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Elasticsearch/OpenSearch {@code POST /_bulk} and {@code /<index>/_bulk} (siem-formats.md §2): a strict NDJSON
 * check of the wire format, {@code create} that answers 409 for an existing {@code _id}, {@code index} that
 * replaces, and ES's reply shape with per-item statuses in request order and HTTP 200 even when items fail.
 */
public final class FakeBulkEndpoint extends HttpsReceiver {

    private static final Pattern BULK_PATH = Pattern.compile("/(?:([^/_][^/]*)/)?_bulk");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScriptedFailures scripted = new ScriptedFailures();
    private volatile Predicate<ObjectNode> mapperRejection;   // null: none (documents are read as trees only for it)
    private volatile String requiredAuthorization;

    // guarded by this
    private final Map<String, Map<String, Stored>> indices = new TreeMap<>();
    private final Map<Integer, Integer> itemStatuses = new TreeMap<>();
    private int throttleItems;
    private int requests;
    private int itemsReceived;

    private record Stored(BulkRequest.Item item, int version) {
    }

    private FakeBulkEndpoint(SSLContext tls) {
        super(tls);
    }

    /** Listens on a free port of 127.0.0.1. */
    public static FakeBulkEndpoint start() {
        return start(ReceiverTls.serverContext());
    }

    /** Listens on a free port of 127.0.0.1 with the certificate of {@code tls}. */
    public static FakeBulkEndpoint start(SSLContext tls) {
        FakeBulkEndpoint endpoint = new FakeBulkEndpoint(tls);
        endpoint.listen();
        return endpoint;
    }

    /** {@code https://127.0.0.1:<port>} — the cluster URL; the sink appends {@code /_bulk}. */
    public String url() {
        return baseUrl();
    }

    /** Requests must carry exactly this {@code Authorization} value (e.g. {@code ApiKey …}); else 401. */
    public FakeBulkEndpoint requireAuthorization(String headerValue) {
        this.requiredAuthorization = headerValue;
        return this;
    }

    /** The next {@code n} bulk requests are refused whole with {@code status} (e.g. 503, 429); nothing stored. */
    public void failWholeRequests(int n, int status) {
        scripted.add(status, n);
    }

    /** The next {@code n} items get 429 {@code es_rejected_execution_exception} and are not stored. */
    public synchronized void throttleItems(int n) {
        throttleItems += n;
    }

    /**
     * From now on source documents matching {@code rejected} get 400 {@code mapper_parsing_exception}, every time.
     * Replaces the previous predicate; {@code doc -> false} turns it off.
     */
    public void rejectWhen(Predicate<ObjectNode> rejected) {
        mapperRejection = rejected;
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/") && method.equals("GET")) {
            exchange.getResponseHeaders().set("X-elastic-product", "Elasticsearch");
            sendJson(exchange, 200, "{\"name\":\"fake-bulk\",\"cluster_name\":\"fake\",\"version\":{\"number\":\"8.15.0\"},"
                    + "\"tagline\":\"You Know, for Search\"}");
            return;
        }
        Matcher bulk = BULK_PATH.matcher(path);
        if (!bulk.matches()) {
            sendError(exchange, 404, "illegal_argument_exception", "no handler for " + method + " " + path + " in this fake");
            return;
        }
        if (!method.equals("POST") && !method.equals("PUT")) {
            sendError(exchange, 405, "illegal_argument_exception", "Incorrect HTTP method for uri [" + path + "]");
            return;
        }
        synchronized (this) {
            requests++;
        }
        int status = scripted.next();
        if (status != 0) {
            sendError(exchange, status, status == 429 ? "es_rejected_execution_exception" : "scripted_failure_exception",
                    "refused whole by the test script");
            return;
        }
        String required = requiredAuthorization;
        if (required != null && !required.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "ApiKey");
            sendError(exchange, 401, "security_exception", "missing or wrong authentication credentials");
            return;
        }
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (!contentType.toLowerCase().matches("application/x-ndjson\\s*(;.*)?")) {
            sendJson(exchange, 406, "{\"error\":\"Content-Type header [" + contentType + "] is not supported;"
                    + " _bulk takes application/x-ndjson\",\"status\":406}");
            return;
        }
        if (exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            sendError(exchange, 400, "illegal_argument_exception", "chunked transfer encoding is not accepted by _bulk here");
            return;
        }
        List<BulkRequest.Item> items;
        try {
            items = BulkRequest.parse(body, bulk.group(1));
        } catch (BulkRequest.Malformed e) {
            sendError(exchange, 400, e.type, e.getMessage());
            return;
        }
        long started = System.nanoTime();
        ArrayNode results = JSON.createArrayNode();
        boolean errors = false;
        for (BulkRequest.Item item : items) {
            ObjectNode result = apply(item);
            errors |= result.has("error");
            results.addObject().set(item.action(), result);
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.put("took", Math.max(1, (System.nanoTime() - started) / 1_000_000)).put("errors", errors).set("items", results);
        sendJson(exchange, 200, reply.toString());
    }

    private synchronized ObjectNode apply(BulkRequest.Item item) {
        itemsReceived++;
        ObjectNode result = JSON.createObjectNode().put("_index", item.index()).put("_id", item.id());
        Map<String, Stored> docs = indices.computeIfAbsent(item.index(), i -> new LinkedHashMap<>());
        Stored existing = docs.get(item.id());
        if (throttleItems > 0) {
            throttleItems--;
            itemError(result, 429, "es_rejected_execution_exception", "rejected execution of primary operation (test script)");
        } else if (item.duplicateField() != null) {
            itemError(result, 400, "mapper_parsing_exception", "failed to parse: " + item.duplicateField());
        } else if (mapperRejection != null && mapperRejection.test(item.source())) {
            itemError(result, 400, "mapper_parsing_exception", "failed to parse (rejected by test script)");
        } else if (item.action().equals("create") && existing != null) {
            itemError(result, 409, "version_conflict_engine_exception", "[" + item.id()
                    + "]: version conflict, document already exists (current version [" + existing.version() + "])");
        } else {
            int version = existing == null ? 1 : existing.version() + 1;
            docs.put(item.id(), new Stored(item, version));
            result.put("_version", version).put("result", existing == null ? "created" : "updated")
                    .put("status", existing == null ? 201 : 200);
        }
        itemStatuses.merge(result.get("status").asInt(), 1, Integer::sum);
        notifyAll();
        return result;
    }

    private static void itemError(ObjectNode result, int status, String type, String reason) {
        result.put("status", status);
        result.putObject("error").put("type", type).put("reason", reason);
    }

    private static void sendError(HttpExchange exchange, int status, String type, String reason) throws IOException {
        ObjectNode cause = JSON.createObjectNode().put("type", type).put("reason", reason);
        ObjectNode error = JSON.createObjectNode();
        error.putArray("root_cause").add(cause.deepCopy());
        error.setAll(cause);
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error);
        body.put("status", status);
        sendJson(exchange, status, body.toString());
    }

    /** The documents of {@code index} by {@code _id}, in the order first stored. */
    public synchronized Map<String, ObjectNode> documents(String index) {
        Map<String, ObjectNode> copy = new LinkedHashMap<>();
        indices.getOrDefault(index, Map.of()).forEach((id, stored) -> copy.put(id, stored.item().source()));
        return copy;
    }

    /** How many documents {@code index} holds (without reading them). */
    public synchronized int documentCount(String index) {
        return indices.getOrDefault(index, Map.of()).size();
    }

    public synchronized Set<String> indices() {
        return Set.copyOf(indices.keySet());
    }

    /** Bulk requests, including refused ones. */
    public synchronized int requests() {
        return requests;
    }

    /** Items in requests that were parsed (not those in requests refused whole). */
    public synchronized int itemsReceived() {
        return itemsReceived;
    }

    /** How many items got each status (201, 200, 409, 429, 400). */
    public synchronized Map<Integer, Integer> itemStatuses() {
        return Map.copyOf(itemStatuses);
    }

    /** Waits until {@code index} holds {@code n} documents; fails the test otherwise. */
    public synchronized Map<String, ObjectNode> awaitDocuments(String index, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (indices.getOrDefault(index, Map.of()).size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + n + " documents in " + index + " within " + timeout + ", got "
                        + indices.getOrDefault(index, Map.of()).size() + "; requests " + requests + ", item statuses "
                        + itemStatuses + ", internal errors " + internalErrors());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for documents", e);
            }
        }
        return documents(index);
    }
}
