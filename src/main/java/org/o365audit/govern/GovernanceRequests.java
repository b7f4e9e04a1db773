package org.o365audit.govern;

import org.apache.camel.Header;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.GovernanceAction;
import org.o365audit.config.Tenant;
import org.o365audit.record.Headers;
import org.springframework.stereotype.Component;

/**
 * Reads a governance request from the headers of its route (the contract in routes/governance-actions.camel.yaml):
 * a dry run unless O365DryRun says false, never forced unless O365Force says true.
 */
@Component("governanceRequests")
public class GovernanceRequests {
    public static final String ACTION = "O365Action";
    public static final String TARGET = "O365Target";
    public static final String DRY_RUN = "O365DryRun";
    public static final String FORCE = "O365Force";
    public static final String REQUESTED_BY = "O365RequestedBy";
    public static final String REASON = "O365Reason";

    private final TenantRegistry tenants;
    private final java.time.Clock clock;

    public GovernanceRequests(TenantRegistry tenants, java.time.Clock clock) {
        this.tenants = tenants;
        this.clock = clock;
    }

    public GovernanceCase read(@Header(Headers.TENANT_ID) String tenant, @Header(ACTION) String action,
            @Header(TARGET) String target, @Header(DRY_RUN) Object dryRun, @Header(FORCE) Object force,
            @Header(REQUESTED_BY) String requestedBy, @Header(REASON) String reason) {
        String name = tenant == null ? "" : tenant.trim();
        return new GovernanceCase(new GovernanceRequest(find(name), name, GovernanceAction.fromKey(action),
                target == null ? "" : target.trim(), dryRun == null || !"false".equalsIgnoreCase(dryRun.toString().trim()),
                force != null && "true".equalsIgnoreCase(force.toString().trim()),
                requestedBy == null || requestedBy.isBlank() ? "unknown" : requestedBy.trim(), reason),
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    /** The configured tenant with this name or GUID (either spelling, any case), or null. */
    public Tenant find(String nameOrId) {
        return tenants.all().stream().filter(t -> t.name().equalsIgnoreCase(nameOrId) || t.tenantId().equalsIgnoreCase(nameOrId))
                .findFirst().orElse(null);
    }
}
