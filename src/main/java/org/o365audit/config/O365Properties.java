package org.o365audit.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code o365.*} in config/application.yaml. Secrets arrive through ${ENV} placeholders.
 */
@Validated
@ConfigurationProperties(prefix = "o365")
public class O365Properties {

    /** The tenants to collect; a key under it that binds nowhere stops the start (TenantProperties#bindStrictly). */
    @Valid
    private List<TenantProperties> tenants = new ArrayList<>();

    /** Push notifications (tenants with a webhook). */
    private WebhookProperties webhook = new WebhookProperties();

    public static class WebhookProperties {
        /** With push on, the tenant's content types are still polled, at this longer interval (the safety net). */
        private Duration safetyNetInterval = Duration.ofMinutes(15);

        public Duration getSafetyNetInterval() {
            return safetyNetInterval;
        }

        public void setSafetyNetInterval(Duration safetyNetInterval) {
            this.safetyNetInterval = safetyNetInterval;
        }
    }

    public WebhookProperties getWebhook() {
        return webhook;
    }

    public void setWebhook(WebhookProperties webhook) {
        this.webhook = webhook;
    }

    /** How often each tenant/content type is polled. */
    @NotNull
    private Duration pollInterval = Duration.ofMinutes(1);

    /** How far back a tenant seen for the first time starts; clamped to what the API allows (7 days). */
    @NotNull
    private Duration backfill = Duration.ofDays(7);

    /** Every poll re-lists this trailing period so blobs that are listed late are still collected. */
    @NotNull
    private Duration lookBack = Duration.ofHours(6);

    /** Records per database batch while a blob is split. */
    private int batchSize = 500;

    /** A record larger than this is quarantined with its first bytes instead of being held in memory whole. */
    @NotNull
    private DataSize maxRecordSize = DataSize.ofMegabytes(16);

    /** Attempts for one HTTP call on 5xx or network errors before the poll gives up until the next one. */
    private int maxAttempts = 4;

    /** First delay of the exponential back-off (5xx, network errors, throttling without Retry-After). */
    @NotNull
    private Duration initialBackoff = Duration.ofSeconds(1);

    /** Connect and read timeout for calls to Microsoft. */
    @NotNull
    private Duration httpTimeout = Duration.ofSeconds(60);

    /** A blob that failed this many times (network, 5xx) is quarantined so it cannot hold the cursor back. */
    private int blobMaxAttempts = 10;

    /**
     * Blobs of one tenant and content type downloaded and stored at once, each in its own transaction (and with
     * up to 4 MB of it in memory; larger ones go to a temporary file).
     */
    @Min(1)
    @Max(64)
    private int parallelBlobs = 4;

    @Valid
    private SimulatorProperties simulator = new SimulatorProperties();

    @Valid
    private DelayedFeedProperties delayed = new DelayedFeedProperties();

    @Valid
    private RetentionProperties retention = new RetentionProperties();

    @Valid
    private ClusterProperties cluster = new ClusterProperties();

    @Valid
    private GraphProperties graph = new GraphProperties();

    @Valid
    private AuditSearchProperties auditSearch = new AuditSearchProperties();

    /**
     * Sinks by name: {@code type} picks the route template {@code <type>-sink} in routes/, every other key is
     * one of its parameters (kebab-case), except secrets (secret, token, authorization, password...), which
     * only the sink's Java bean reads and which never reach a route definition.
     */
    private Map<String, Map<String, String>> sinks = new LinkedHashMap<>();

    public Map<String, Map<String, String>> getSinks() {
        return sinks;
    }

    public void setSinks(Map<String, Map<String, String>> sinks) {
        this.sinks = sinks;
    }

    public ClusterProperties getCluster() {
        return cluster;
    }

    public AuditSearchProperties getAuditSearch() {
        return auditSearch;
    }

    public void setAuditSearch(AuditSearchProperties auditSearch) {
        this.auditSearch = auditSearch;
    }

    public GraphProperties getGraph() {
        return graph;
    }

    public void setGraph(GraphProperties graph) {
        this.graph = graph;
    }

    public void setCluster(ClusterProperties cluster) {
        this.cluster = cluster;
    }

    public RetentionProperties getRetention() {
        return retention;
    }

    public void setRetention(RetentionProperties retention) {
        this.retention = retention;
    }

    public DelayedFeedProperties getDelayed() {
        return delayed;
    }

    public void setDelayed(DelayedFeedProperties delayed) {
        this.delayed = delayed;
    }

    public int getBlobMaxAttempts() {
        return blobMaxAttempts;
    }

    public void setBlobMaxAttempts(int blobMaxAttempts) {
        this.blobMaxAttempts = blobMaxAttempts;
    }

    public int getParallelBlobs() {
        return parallelBlobs;
    }

    public void setParallelBlobs(int parallelBlobs) {
        this.parallelBlobs = parallelBlobs;
    }

    public List<TenantProperties> getTenants() {
        return tenants;
    }

    public void setTenants(List<TenantProperties> tenants) {
        this.tenants = tenants;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getBackfill() {
        return backfill;
    }

    public void setBackfill(Duration backfill) {
        this.backfill = backfill;
    }

    public Duration getLookBack() {
        return lookBack;
    }

    public void setLookBack(Duration lookBack) {
        this.lookBack = lookBack;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public DataSize getMaxRecordSize() {
        return maxRecordSize;
    }

    public void setMaxRecordSize(DataSize maxRecordSize) {
        this.maxRecordSize = maxRecordSize;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    public Duration getHttpTimeout() {
        return httpTimeout;
    }

    public void setHttpTimeout(Duration httpTimeout) {
        this.httpTimeout = httpTimeout;
    }

    public SimulatorProperties getSimulator() {
        return simulator;
    }

    public void setSimulator(SimulatorProperties simulator) {
        this.simulator = simulator;
    }
}
