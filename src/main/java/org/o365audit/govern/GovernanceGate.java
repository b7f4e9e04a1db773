package org.o365audit.govern;

import org.o365audit.config.GovernanceAction;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * Whether a tenant's configuration lets an action run: refused unless listed in
 * {@code o365.tenants[i].governance.actions} (its write permission is only asked of the app registration then), a
 * dry run whatever was asked when {@code governance.dry-run-only} is set. Also refuses a request without a target.
 */
@Component("governanceGate")
public class GovernanceGate {

    public void check(GovernanceCase c) {
        GovernanceRequest r = c.request();
        GovernanceAction action = r.action();
        if (r.tenant() == null) {
            c.decide(GovernanceResult.REFUSED, "no tenant '" + r.tenantName() + "' is configured (o365.tenants[i].name or"
                    + " tenant-id)");
            return;
        }
        Tenant t = r.tenant();
        if (!t.allows(action)) {
            c.decide(GovernanceResult.REFUSED, action.key() + " is not enabled for tenant " + t.name() + ": add '"
                    + action.key() + "' to its o365.tenants[i].governance.actions and grant the app registration "
                    + action.permissions() + " (application permission, admin consent)");
            return;
        }
        if (r.target().isEmpty()) {
            c.decide(GovernanceResult.REFUSED, action.key() + " needs a target: "
                    + (action == GovernanceAction.REMOVE_SHARING ? "the file's URL or drives/{driveId}/items/{itemId}"
                    : "the user's userPrincipalName or object id"));
            return;
        }
        if (!r.dryRun() && t.governanceDryRunOnly()) {
            c.request(r.asDryRun());
            c.note("Run as a dry run: tenant " + t.name() + " has governance.dry-run-only set.");
        }
    }
}
