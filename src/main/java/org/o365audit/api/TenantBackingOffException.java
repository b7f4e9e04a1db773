package org.o365audit.api;

import java.time.Instant;

/** The tenant is throttled for longer than a poll should wait; the poll ends and a later one resumes. */
public class TenantBackingOffException extends RuntimeException {
    private final Instant until;

    public TenantBackingOffException(String tenantName, Instant until) {
        super("tenant " + tenantName + " is backing off after throttling until " + until);
        this.until = until;
    }

    /** When the tenant's calls under this throttle key may go again. */
    public Instant until() {
        return until;
    }
}
