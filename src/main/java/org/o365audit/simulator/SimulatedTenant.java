package org.o365audit.simulator;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One Microsoft 365 tenant as the simulator shows it: app registrations, subscriptions, content
 * blobs and the quirks to apply. Thread-safe; tests change it while the collector polls.
 */
public final class SimulatedTenant {

    private final String tenantId;
    private final Clock clock;
    private final TenantCredentials credentials = new TenantCredentials();
    private final SubscriptionBook subscriptions = new SubscriptionBook();
    private final BlobStore blobs = new BlobStore();
    private final ThrottleQueue throttles = new ThrottleQueue();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile boolean auditingOff;

    SimulatedTenant(String tenantId, Clock clock) {
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        this.clock = clock;
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

    /** While true, listing answers AF20023 for every content type, as when unified audit logging is off. */
    public void auditingOff(boolean off) {
        auditingOff = off;
    }

    // --- observation ---

    /** Every request for this tenant, in order, including token calls. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
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

    ThrottleQueue throttles() {
        return throttles;
    }

    boolean isAuditingOff() {
        return auditingOff;
    }

    void record(RecordedRequest request) {
        requests.add(request);
    }
}
