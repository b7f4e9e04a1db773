package org.o365audit.it.receivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * Azure Monitor's Logs Ingestion API for one data collection rule, with its Entra ID token endpoint on another
 * port (another origin, as login.microsoftonline.com is another host than the ingestion endpoint), both HTTPS on
 * 127.0.0.1 with the tests' localhost certificate.
 * <p>Login: {@code POST /{tenant}/oauth2/v2.0/token}, client credentials with a secret registered by the test; an
 * opaque token is issued for the scope asked, its audience the scope without {@code /.default} (and the trailing
 * slash: {@code https://monitor.azure.com//.default} gives {@code https://monitor.azure.com}), living an hour.
 * <p>Ingestion: {@code POST /dataCollectionRules/{dcr}/streams/{stream}?api-version=2023-01-01}, as documented:
 * a bearer token this login issued for the audience {@code https://monitor.azure.com} and the DCR's tenant (401
 * otherwise), the app allowed on the DCR (403: "Monitoring Metrics Publisher" missing), the DCR and stream (404),
 * Content-Type application/json, Content-Encoding gzip optional, a body of at most 1 MB compressed and
 * uncompressed (413), a JSON array of objects (400); 204 on success. Columns the stream does not declare
 * (config/sentinel/dcr.json) are dropped by Azure: counted here. The test can script 429 with Retry-After, 503,
 * slow answers, or take it down.
 */
public final class FakeLogsIngestion extends HttpsReceiver {
    /** 1 MB, as the service limits page states it, taken as 2^20 bytes. */
    public static final int ONE_MB = 1 << 20;
    public static final String AUDIENCE = "https://monitor.azure.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tenantId;
    private final String dcrId;
    private final String stream;
    private final Set<String> declaredColumns;
    private final Login login;
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final Set<String> allowedClients = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final ScriptedFailures scripted = new ScriptedFailures();
    private volatile String retryAfter;
    private volatile long delayMillis;
    private volatile int holdAfterRows = Integer.MAX_VALUE;
    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    // guarded by this
    private final Map<String, List<String>> arrivals = new LinkedHashMap<>();   // tenant -> RecordIds, every arrival
    private final Set<String> undeclared = new TreeSet<>();
    private int rows;

    private FakeLogsIngestion(String tenantId, String dcrId, String stream) {
        this.tenantId = tenantId;
        this.dcrId = dcrId;
        this.stream = stream;
        this.declaredColumns = streamColumns(Path.of("config/sentinel/dcr.json"), stream);
        this.login = new Login();
    }

    /** Starts the login and the ingestion endpoint of the DCR {@code dcrId} (stream {@code stream}) in {@code tenantId}. */
    public static FakeLogsIngestion start(String tenantId, String dcrId, String stream) {
        FakeLogsIngestion f = new FakeLogsIngestion(tenantId, dcrId, stream);
        f.login.listen();
        f.listen();
        return f;
    }

    /**
     * For benchmarks: a DCR in a fresh tenant that takes the app {@code clientId} with {@code secret}; point a sink at
     * it with {@link #sinkSettings} (plus client-secret) and count with {@link #rows()}.
     */
    public static FakeLogsIngestion startForBenchmark(String clientId, String secret) {
        return start(UUID.randomUUID().toString(), "dcr-" + UUID.randomUUID().toString().replace("-", ""),
                "Custom-O365Audit_CL").allow(clientId, secret);
    }

    /** An app with this secret that holds the Monitoring Metrics Publisher role on the DCR. */
    public FakeLogsIngestion allow(String clientId, String secret) {
        login.secrets.put(clientId, secret);
        allowedClients.add(clientId);
        return this;
    }

    /** An app Entra ID knows but that has no role on the DCR (403). */
    public FakeLogsIngestion register(String clientId, String secret) {
        login.secrets.put(clientId, secret);
        return this;
    }

    /**
     * The o365.sinks.&lt;name&gt; settings that point a Sentinel sink here, for {@code clientId} (whose
     * client-secret the caller adds, from an ${ENV} placeholder or as it likes).
     */
    public Map<String, String> sinkSettings(String clientId) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("type", "sentinel");
        s.put("endpoint", baseUrl());
        s.put("dcr-id", dcrId);
        s.put("stream", stream);
        s.put("tenant-id", tenantId);
        s.put("client-id", clientId);
        s.put("login-url", loginUrl());
        return s;
    }

    public String loginUrl() {
        return login.baseUrl();
    }

    /** The next {@code times} calls are answered with {@code status} (and Retry-After {@code retryAfter}, if not null). */
    public void respondWith(int status, int times, String retryAfter) {
        this.retryAfter = retryAfter;
        scripted.add(status, times);
    }

    public int scriptedLeft() {
        return scripted.pending();
    }

    /** Each call waits this long before it is answered (a slow DCE). */
    public void delay(Duration delay) {
        delayMillis = delay.toMillis();
    }

    /**
     * A call that comes once {@code rows} rows are taken is taken too, then not answered until {@link #release()}:
     * Azure has the rows but the sender never hears so (its answer lost, e.g. the sender killed meanwhile).
     */
    public void holdAnswersAfter(int rows) {
        holdAfterRows = rows;
    }

    /** Calls taken and held without an answer. */
    public int held() {
        return held.get();
    }

    /** Answers the held calls (to whoever is still there) and holds no more. */
    public void release() {
        holdAfterRows = Integer.MAX_VALUE;
        release.countDown();
    }

    /** Calls read in full and not answered yet (their rows are taken even if the client is gone by then). */
    public int inFlight() {
        return inFlight.get();
    }

    public void stopLogin() {
        login.goDown();
    }

    @Override
    public void close() {
        login.close();
        super.close();
    }

    /** Every call to the ingestion endpoint, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The scopes tokens were issued for. */
    public List<String> issuedScopes() {
        return tokens.values().stream().map(Issued::scope).toList();
    }

    /** Authorization headers the login endpoint received (the sink's token must never go there). */
    public List<String> authorizationAtLogin() {
        return List.copyOf(login.authorizations);
    }

    public synchronized Set<String> distinctRecordIds(String tenant) {
        return new LinkedHashSet<>(arrivals.getOrDefault(tenant, List.of()));
    }

    public synchronized int arrivals(String tenant) {
        return arrivals.getOrDefault(tenant, List.of()).size();
    }

    /** RecordIds that arrived more than once, with how many times. */
    public synchronized Map<String, Integer> duplicates(String tenant) {
        Map<String, Integer> n = new HashMap<>();
        arrivals.getOrDefault(tenant, List.of()).forEach(id -> n.merge(id, 1, Integer::sum));
        n.values().removeIf(c -> c == 1);
        return n;
    }

    /** Rows taken, all tenants. */
    public synchronized int rows() {
        return rows;
    }

    /** Columns sent that the stream does not declare (Azure drops them). */
    public synchronized Set<String> undeclaredColumns() {
        return new TreeSet<>(undeclared);
    }

    @Override
    protected void handle(HttpExchange ex) throws IOException {
        Instant at = Instant.now();
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readAllBytes();
        }
        inFlight.incrementAndGet();
        try {
            int status = answer(ex, raw);
            // written down before the call stops counting as in flight: a test waiting for inFlight() == 0 sees it
            calls.add(new Call(at, status, raw.length, ex.getRequestHeaders().getFirst("x-ms-client-request-id"),
                    "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private int answer(HttpExchange ex, byte[] raw) throws IOException {
        if (delayMillis > 0) {
            sleep(delayMillis);
        }
        String path = ex.getRequestURI().getRawPath();
        if (!"POST".equals(ex.getRequestMethod())) {
            return error(ex, 405, "MethodNotAllowed", "only POST");
        }
        if (!("api-version=2023-01-01").equals(ex.getRequestURI().getRawQuery())) {
            return error(ex, 400, "InvalidApiVersion", "api-version 2023-01-01 expected, got " + ex.getRequestURI().getRawQuery());
        }
        Issued token = bearer(ex.getRequestHeaders().getFirst("Authorization"));
        if (token == null || !AUDIENCE.equals(token.audience()) || !tenantId.equals(token.tenant())
                || token.expires().isBefore(Instant.now())) {
            return error(ex, 401, "InvalidToken", "token missing, expired, of another tenant or audience "
                    + (token == null ? "-" : token.audience()));
        }
        if (!path.equals("/dataCollectionRules/" + dcrId + "/streams/" + stream)) {
            return error(ex, 404, "NotFound", "no data collection rule or stream at " + path);
        }
        if (!allowedClients.contains(token.clientId())) {
            return error(ex, 403, "OperationFailed", "The authentication token provided does not have access to ingest"
                    + " data for the data collection rule with immutable Id '" + dcrId + "'.");
        }
        int scriptedStatus = scripted.next();
        if (scriptedStatus != 0) {
            if (retryAfter != null) {
                ex.getResponseHeaders().set("Retry-After", retryAfter);
            }
            return error(ex, scriptedStatus, "Scripted", "answered by the test's script");
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            return error(ex, 415, "UnsupportedMediaType", "Content-Type " + type);
        }
        byte[] body = raw;
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                body = in.readNBytes(ONE_MB + 1);
            }
        }
        if (raw.length > ONE_MB || body.length > ONE_MB) {
            return error(ex, 413, "ContentLengthLimitExceeded", "Maximum request size is 1 MB (" + raw.length + " bytes)");
        }
        JsonNode array;
        try {
            array = JSON.readTree(body);
        } catch (IOException e) {
            return error(ex, 400, "InvalidJson", e.getMessage());
        }
        if (array == null || !array.isArray()) {
            return error(ex, 400, "InvalidPayload", "a JSON array of objects expected");
        }
        for (JsonNode row : array) {
            if (!row.isObject() || !row.path("TimeGenerated").isTextual()
                    || !row.path("Record").isObject()) {
                return error(ex, 400, "InvalidPayload", "each row an object with TimeGenerated and Record: " + excerpt(row));
            }
            Instant.parse(row.path("TimeGenerated").asText());
        }
        if (take(array) >= holdAfterRows) {
            held.incrementAndGet();
            try {
                release.await(120, java.util.concurrent.TimeUnit.SECONDS);
                sendEmpty(ex, 204);
            } catch (InterruptedException | IOException senderGone) {
                // the answer is lost, as intended
            }
            return 204;
        }
        sendEmpty(ex, 204);
        return 204;
    }

    /** Takes the rows; returns how many rows were taken before them. */
    private synchronized int take(JsonNode array) {
        int before = rows;
        for (JsonNode row : array) {
            arrivals.computeIfAbsent(row.path("TenantId").asText(), t -> new ArrayList<>()).add(row.path("RecordId").asText());
            for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
                String column = it.next();
                if (!declaredColumns.contains(column)) {
                    undeclared.add(column);
                }
            }
            rows++;
        }
        return before;
    }

    private Issued bearer(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        return tokens.get(authorization.substring("Bearer ".length()));
    }

    private static int error(HttpExchange ex, int status, String code, String message) throws IOException {
        sendJson(ex, status, JSON.createObjectNode().set("error", JSON.createObjectNode().put("code", code)
                .put("message", message)).toString());
        return status;
    }

    private static String excerpt(JsonNode n) {
        String s = n.toString();
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The columns of a stream declared in a DCR template (ARM JSON). */
    public static Set<String> streamColumns(Path dcr, String stream) {
        try {
            JsonNode root = JSON.readTree(dcr.toFile());
            JsonNode rule = root.has("resources") ? root.path("resources").get(0) : root;
            JsonNode columns = rule.path("properties").path("streamDeclarations").path(stream).path("columns");
            Set<String> names = new LinkedHashSet<>();
            columns.forEach(c -> names.add(c.path("name").asText()));
            return names;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + dcr, e);
        }
    }

    /** One call to the ingestion endpoint: when it came, the answer, the body's size as sent, its request id, gzip or not. */
    public record Call(Instant at, int status, int bytes, String requestId, boolean gzip) {
    }

    record Issued(String tenant, String clientId, String scope, String audience, Instant expires) {
    }

    /** Entra ID's token endpoint, on an origin of its own. */
    private final class Login extends HttpsReceiver {
        final Map<String, String> secrets = new ConcurrentHashMap<>();
        final List<String> authorizations = new CopyOnWriteArrayList<>();

        @Override
        protected void handle(HttpExchange ex) throws IOException {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add(auth);
            }
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> form = form(ex);
            String tenant = path.replaceFirst("^/([^/]+)/oauth2/v2.0/token$", "$1");
            if (!"POST".equals(ex.getRequestMethod()) || tenant.equals(path)) {
                sendJson(ex, 404, "{\"error\":\"not_found\"}");
                return;
            }
            if (!tenant.equals(tenantId)) {
                sendJson(ex, 400, "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS90002: Tenant '"
                        + tenant + "' not found.\",\"error_codes\":[90002]}");
                return;
            }
            String clientId = form.get("client_id");
            String secret = clientId == null ? null : secrets.get(clientId);
            if (secret == null || !secret.equals(form.get("client_secret"))) {
                sendJson(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client"
                        + " secret provided.\",\"error_codes\":[7000215]}");
                return;
            }
            String scope = form.getOrDefault("scope", "");
            String resource = Set.of(scope.split("\\s+")).stream().filter(s -> s.endsWith("/.default")).findFirst()
                    .orElse(null);
            if (resource == null) {
                sendJson(ex, 400, "{\"error\":\"invalid_scope\",\"error_codes\":[1002012]}");
                return;
            }
            String audience = resource.substring(0, resource.length() - "/.default".length()).replaceAll("/+$", "");
            String token = "fake-li-" + UUID.randomUUID();
            tokens.put(token, new Issued(tenant, clientId, resource, audience, Instant.now().plus(Duration.ofHours(1))));
            sendJson(ex, 200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\""
                    + token + "\"}");
        }

        private static Map<String, String> form(HttpExchange ex) throws IOException {
            Map<String, String> form = new HashMap<>();
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return form;
        }
    }
}
