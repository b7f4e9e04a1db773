package org.o365audit.it.receivers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Splunk's HTTP Event Collector {@code /services/collector/event} as siem-formats.md §1 describes it: token auth
 * (codes 2, 3, 4), concatenated envelopes checked one by one, and on a bad event a 400 with
 * {@code invalid-event-number} where the events before it were indexed and the rest were not.
 */
public final class FakeSplunkHec extends HttpsReceiver {

    public static final String EVENT_PATH = "/services/collector/event";
    private static final Set<String> EVENT_PATHS = Set.of("/services/collector", EVENT_PATH, EVENT_PATH + "/1.0");
    private static final String HEALTH_PATH = "/services/collector/health";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final ScriptedFailures scripted = new ScriptedFailures();
    private final List<Predicate<ObjectNode>> rejectOnce = new CopyOnWriteArrayList<>();
    private volatile Predicate<ObjectNode> rejectAlways = envelope -> false;
    private final java.util.concurrent.atomic.AtomicReference<Predicate<ObjectNode>> rejectLastOnce =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile Set<String> allowedIndexes = Set.of();

    // guarded by this
    private final List<ObjectNode> events = new ArrayList<>();
    private final List<String> rejections = new ArrayList<>();
    private int requests;
    private int acceptedRequests;
    private int largestRequestBytes;

    private FakeSplunkHec(String token) {
        this.token = token;
    }

    /** Listens on a free port of 127.0.0.1 and accepts {@code Authorization: Splunk <token>}. */
    public static FakeSplunkHec start(String token) {
        FakeSplunkHec hec = new FakeSplunkHec(token);
        hec.listen();
        return hec;
    }

    /** {@code https://127.0.0.1:<port>/services/collector/event}. */
    public String url() {
        return baseUrl() + EVENT_PATH;
    }

    /** Only these indexes may be named in envelopes (else code 7); by default any. */
    public FakeSplunkHec allowIndexes(String... indexes) {
        this.allowedIndexes = Set.of(indexes);
        return this;
    }

    /** The next {@code n} requests get {@code status}: 503 = code 9 "Server is busy", 500 = code 8. Calls queue up. */
    public void failNext(int n, int status) {
        scripted.add(status, n);
    }

    /** The first event matching {@code poison} in a later request is refused once with code 6. */
    public void rejectEventOnce(Predicate<ObjectNode> poison) {
        rejectOnce.add(poison);
    }

    /**
     * In the next request whose last event matches {@code of}, that last event is refused with code 6 (the
     * events before it are indexed), once.
     */
    public void rejectLastEventOnce(Predicate<ObjectNode> of) {
        rejectLastOnce.set(of);
    }

    /**
     * From now on every event matching {@code poison} is refused with code 6, however often it is resent.
     * Replaces the previous predicate; {@code e -> false} turns it off.
     */
    public void rejectEvents(Predicate<ObjectNode> poison) {
        rejectAlways = poison;
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        synchronized (this) {
            requests++;
            largestRequestBytes = Math.max(largestRequestBytes, body.length);
        }
        String path = exchange.getRequestURI().getPath();
        int status = scripted.next();
        if (status != 0) {
            int code = status == 503 ? 9 : status == 500 ? 8 : status;
            String text = status == 503 ? "Server is busy" : status == 500 ? "Internal server error" : "Scripted failure";
            reply(exchange, status, text, code, -1, "scripted " + status);
            return;
        }
        if (path.equals(HEALTH_PATH)) {
            reply(exchange, 200, "HEC is healthy", 17, -1, null);
            return;
        }
        if (!EVENT_PATHS.contains(path)) {
            sendJson(exchange, 404, "{\"text\":\"The requested URL was not found on this server.\",\"code\":404}");
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            sendEmpty(exchange, 405);
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            reply(exchange, 401, "Token is required", 2, -1, "no Authorization header");
            return;
        }
        if (!authorization.startsWith("Splunk ")) {
            reply(exchange, 401, "Invalid authorization", 3, -1, "Authorization is not 'Splunk <token>'");
            return;
        }
        if (!authorization.substring("Splunk ".length()).equals(token)) {
            reply(exchange, 403, "Invalid token", 4, -1, "wrong token");
            return;
        }
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        index(exchange, HecBatch.read(body, allowedIndexes));
    }

    private void index(HttpExchange exchange, HecBatch batch) throws IOException {
        List<ObjectNode> good = batch.envelopes();
        HecBatch.Problem problem = batch.problem();
        for (int i = 0; i < good.size(); i++) {
            if (poisoned(good.get(i)) || i == good.size() - 1 && problem == null && lastPoisoned(good.get(i))) {
                problem = new HecBatch.Problem(6, "Invalid data format", i, "event rejected by test script");
                good = good.subList(0, i);
                break;
            }
        }
        synchronized (this) {
            events.addAll(good);
            if (problem == null) {
                acceptedRequests++;
            }
            notifyAll();
        }
        if (problem == null) {
            reply(exchange, 200, "Success", 0, -1, null);
        } else {
            reply(exchange, 400, problem.text(), problem.code(), problem.code() == 5 ? -1 : problem.eventNumber(),
                    "event " + problem.eventNumber() + ": " + problem.reason());
        }
    }

    private boolean lastPoisoned(ObjectNode envelope) {
        Predicate<ObjectNode> of = rejectLastOnce.get();
        return of != null && of.test(envelope) && rejectLastOnce.compareAndSet(of, null);
    }

    private boolean poisoned(ObjectNode envelope) {
        for (Predicate<ObjectNode> once : rejectOnce) {
            if (once.test(envelope) && rejectOnce.remove(once)) {
                return true;
            }
        }
        return rejectAlways.test(envelope);
    }

    private void reply(HttpExchange exchange, int status, String text, int code, int invalidEventNumber, String reason)
            throws IOException {
        if (reason != null) {
            synchronized (this) {
                rejections.add(status + " code " + code + ": " + reason);
            }
        }
        ObjectNode body = JSON.createObjectNode().put("text", text).put("code", code);
        if (invalidEventNumber >= 0) {
            body.put("invalid-event-number", invalidEventNumber);
        }
        sendJson(exchange, status, body.toString());
    }

    /** Indexed envelopes, in arrival order. */
    public synchronized List<ObjectNode> events() {
        return List.copyOf(events);
    }

    /** How many envelopes are indexed. */
    public synchronized int eventCount() {
        return events.size();
    }

    /** Every request, including refused and scripted ones. */
    public synchronized int requests() {
        return requests;
    }

    /** Requests answered code 0. */
    public synchronized int acceptedRequests() {
        return acceptedRequests;
    }

    public synchronized int largestRequestBytes() {
        return largestRequestBytes;
    }

    /** Why each refused request was refused, for assertion messages. */
    public synchronized List<String> rejections() {
        return List.copyOf(rejections);
    }

    /** Waits until {@code n} envelopes are indexed; fails the test otherwise. */
    public synchronized List<ObjectNode> awaitEvents(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + n + " events at " + url() + " within " + timeout + ", got "
                        + events.size() + " from " + requests + " requests; rejections " + rejections);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for events", e);
            }
        }
        return List.copyOf(events);
    }
}
