package org.o365audit.govern;

import org.o365audit.config.GovernanceAction;
import org.o365audit.config.Tenant;

/**
 * One request for a governance action, as the route reads it from its headers (routes/governance-actions.camel.yaml).
 *
 * @param tenant      the configured tenant, or null when {@code tenantName} names none (the request is then refused)
 * @param tenantName  the tenant as the caller named it (name or GUID)
 * @param target      the user (UPN or object id), or for remove-sharing the file (its URL or drives/{d}/items/{i})
 * @param dryRun      true: only say what would change (the default when the caller does not say)
 * @param force       suspend-user only: disable a synced account in the cloud although the next sync reverts it
 * @param requestedBy who asked: the REST caller's login, "jmx ..." for Hawtio and JMX, or what a route set
 * @param reason      free text kept with the audit row
 */
public record GovernanceRequest(Tenant tenant, String tenantName, GovernanceAction action, String target, boolean dryRun,
                                boolean force, String requestedBy, String reason) {

    /** The same request, run as a dry run whatever the caller asked (governance.dry-run-only). */
    GovernanceRequest asDryRun() {
        return new GovernanceRequest(tenant, tenantName, action, target, true, force, requestedBy, reason);
    }
}
