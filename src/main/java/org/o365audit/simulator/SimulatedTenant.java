package org.o365audit.simulator;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One Microsoft 365 tenant as the simulator shows it: app registrations, subscriptions, content
 * blobs and the quirks to apply, plus its Power BI activity log and Dataverse environments.
 * Thread-safe; tests change it while the collector polls.
 */
public final class SimulatedTenant {

    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

    private final String tenantId;
    private final Clock clock;
    private final TenantCredentials credentials = new TenantCredentials();
    private final SubscriptionBook subscriptions = new SubscriptionBook();
    private final WebhookNotifier notifier;
    private final BlobStore blobs = new BlobStore();
    private final ThrottleQueue throttles = new ThrottleQueue();
    private final FaultBook faults = new FaultBook();
    private final RequestLog requests = new RequestLog();
    private final String baseUrl;
    private final Map<String, DataverseEnvironment> dataverse = new ConcurrentHashMap<>();
    private volatile boolean auditingOff;
    private final SimulatedGraph graph = new SimulatedGraph();
    private PowerBiActivity powerBi; // guarded by this, created on first use

    /** @param baseUrl the simulator's address, for the URLs of this tenant's Dataverse environments */
    SimulatedTenant(String tenantId, Clock clock, String baseUrl) {
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.notifier = new WebhookNotifier(tenantId, clock);
    }

    public String tenantId() {
        return tenantId;
    }

    // --- credentials (token endpoint) ---

    public void registerSecret(String clientId, String clientSecret) {
        credentials.registerSecret(clientId, clientSecret);
    }

    public void registerCertificate(String clientId, X509Certificate cert) {
        credentials.registerCertificate(clientId, cert);
    }

    /** {@code expires_in} sent to the client; default 3599 s. */
    public void advertisedTokenLifetime(Duration d) {
        credentials.advertisedLifetime(d);
    }

    /** The API answers 401 for a token older than this; default: the advertised lifetime. */
    public void serverSideTokenLifetime(Duration d) {
        credentials.serverSideLifetime(d);
    }

    /** Every token issued so far now gets 401 from the API. */
    public void revokeAllTokens() {
        credentials.revokeAll();
    }

    public int tokensIssued() {
        return credentials.issuedCount();
    }

    // --- subscriptions ---

    public void subscriptionState(String contentType, SubscriptionState s) {
        subscriptions.set(contentType, s);
    }

    public SubscriptionState subscriptionState(String contentType) {
        return subscriptions.get(contentType);
    }

    public int startCalls(String contentType) {
        return subscriptions.startCalls(contentType);
    }

    // --- content ---

    /** Adds a blob; a blob with the same contentId is replaced. */
    public void addBlob(SimBlob blob) {
        blobs.add(blob);
        SubscriptionBook.Webhook hook = subscriptions.webhook(blob.contentType());
        if (hook != null && "enabled".equals(hook.status()) && subscriptions.get(blob.contentType()) == SubscriptionState.ENABLED) {
            notifier.announce(blob, blob.contentUri(baseUrl, tenantId), hook);
        }
    }

    // --- webhook (push notifications) ---

    /** The next notification is sent twice (a repeated delivery). */
    public void repeatNextNotification() {
        notifier.quirk(WebhookNotifier.Quirk.REPEAT, null);
    }

    /** The next notification is sent {@code by} after the blob became available. */
    public void delayNextNotification(Duration by) {
        notifier.quirk(WebhookNotifier.Quirk.LATE, by);
    }

    /** The next notification is never sent (missed: only the collector's poll finds the blob). */
    public void skipNextNotification() {
        notifier.quirk(WebhookNotifier.Quirk.SKIP, null);
    }

    /** The next notification carries a Webhook-AuthID that is not the subscription's. */
    public void wrongAuthIdOnNextNotification() {
        notifier.quirk(WebhookNotifier.Quirk.WRONG_AUTH, null);
    }

    /** The webhook's status becomes disabled, as after repeated failed deliveries, or expired. */
    public void webhookStatus(String contentType, String status) {
        SubscriptionBook.Webhook hook = subscriptions.webhook(contentType);
        if (hook != null) {
            subscriptions.webhook(contentType, hook.withStatus(status));
        }
    }

    /** The webhook as /subscriptions/list shows it: its status, or null when there is none. */
    public String webhookStatus(String contentType) {
        SubscriptionBook.Webhook hook = subscriptions.webhook(contentType);
        return hook == null ? null : hook.status();
    }

    /** Tests: the 15-minute wait after a start request is over at once. */
    public void forgetSubscriptionStarts() {
        subscriptions.forgetStarts();
    }

    /** Notifications sent so far: the HTTP status each got (0 when the address did not answer). */
    public List<Integer> notificationStatuses() {
        return notifier.attempts().stream().map(WebhookNotifier.Attempt::status).toList();
    }

    WebhookNotifier notifier() {
        return notifier;
    }

    /**
     * Drops the blobs whose content expired before {@code cutoff}: the API no longer serves them (it answers
     * AF20051 until they are dropped, AF20050 after). The demo does this as it runs, so it keeps about a week.
     */
    public void forgetBlobsExpiredBefore(java.time.Instant cutoff) {
        blobs.forgetExpiredBefore(cutoff);
    }

    /** All blobs of a content type in listing order, visible or not. */
    public List<SimBlob> blobs(String contentType) {
        return blobs.ofType(contentType);
    }

    /** Blobs per listing page; default 100. */
    public void pageSize(int n) {
        blobs.pageSize(n);
    }

    // --- quirks ---

    /** The next {@code count} API calls (not token calls) are throttled; {@code retryAfter} null sends no Retry-After. */
    public void throttleNext(int count, ThrottleStyle style, Duration retryAfter) {
        throttles.add(count, Objects.requireNonNull(style, "style"), retryAfter);
    }

    /** The next {@code times} fetches of this blob answer with this error (e.g. 400 AF20051 expired, 500 AF50000). */
    public void failBlobFetch(String contentId, int times, int status, String code, String message) {
        faults.add("GetBlob", r -> r.path().endsWith("/audit/" + contentId), times, status, code, message);
    }

    /** The next {@code times} fetches of this blob are answered only after {@code delay} (a slow blob). */
    public void delayBlobFetch(String contentId, int times, java.time.Duration delay) {
        faults.delay("GetBlob", r -> r.path().endsWith("/audit/" + contentId), times, delay);
    }

    /** The next {@code times} first-page listings of windows starting before {@code startBefore} answer with this error. */
    public void failListings(java.time.Instant startBefore, int times, int status, String code, String message) {
        faults.add("ListContent", r -> r.param("nextPage") == null && r.param("startTime") != null
                && java.time.LocalDateTime.parse(r.param("startTime")).toInstant(java.time.ZoneOffset.UTC).isBefore(startBefore),
                times, status, code, message);
    }

    /** The next {@code times} nextPage calls answer AF20031 (the page id is no longer valid), as a stale nextPage does. */
    public void staleNextPages(int times) {
        faults.add("ListContent", r -> r.param("nextPage") != null, times, 400, "AF20031", "Invalid nextPage Input: "
                + "the page is no longer available.");
    }

    /** While true, listing answers AF20023 for every content type, as when unified audit logging is off. */
    public void auditingOff(boolean off) {
        auditingOff = off;
    }

    // --- other audit sources of the tenant ---

    /** This tenant's Power BI activity log ({@code /powerbi/v1.0/myorg/admin/activityevents}), created on first use. */
    /** Microsoft Graph as this tenant shows it (permissions, licence, throttles, request log). */
    public SimulatedGraph graph() {
        return graph;
    }

    public synchronized PowerBiActivity powerBi() {
        if (powerBi == null) {
            powerBi = new PowerBiActivity(clock);
        }
        return powerBi;
    }

    /** The Dataverse environment of this tenant with this name (letters, digits, dashes), created on first use. */
    public DataverseEnvironment dataverse(String name) {
        if (name == null || !ENVIRONMENT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a Dataverse environment name is letters, digits and dashes: " + name);
        }
        return dataverse.computeIfAbsent(name, n -> new DataverseEnvironment(this, n, baseUrl));
    }

    // --- observation ---

    /** The requests for this tenant, in order, including token calls: the most recent {@value RequestLog#KEPT}. */
    public List<RecordedRequest> requests() {
        return requests.snapshot();
    }

    public void clearRequests() {
        requests.clear();
    }

    // --- used by the HTTP handlers ---

    Clock clock() {
        return clock;
    }

    TenantCredentials credentials() {
        return credentials;
    }

    SubscriptionBook subscriptions() {
        return subscriptions;
    }

    BlobStore blobStore() {
        return blobs;
    }

    FaultBook faults() {
        return faults;
    }

    ThrottleQueue throttles() {
        return throttles;
    }

    Optional<DataverseEnvironment> existingDataverse(String name) {
        return Optional.ofNullable(dataverse.get(name));
    }

    boolean isAuditingOff() {
        return auditingOff;
    }

    void record(RecordedRequest request) {
        requests.add(request);
    }
}
