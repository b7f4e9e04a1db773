package org.o365audit.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code o365.audit-search.*}: how the audit search (Microsoft Graph's audit log query API, beta) runs for the tenants
 * with {@code audit-search: true}. Microsoft keeps at most 50 queries queued or running per tenant and takes about
 * 200 submissions in 24 hours, so we stay well under both.
 */
public class AuditSearchProperties {
    /** How often each tenant's queries are submitted, polled (one GET per query) and read. */
    @NotNull
    private Duration pollInterval = Duration.ofMinutes(1);

    /** Queries of one tenant submitted and not yet finished at one time (Microsoft allows 50). */
    @Min(1)
    @Max(50)
    private int maxRunning = 10;

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public int getMaxRunning() {
        return maxRunning;
    }

    public void setMaxRunning(int maxRunning) {
        this.maxRunning = maxRunning;
    }
}
