package org.o365audit.ops;

import org.o365audit.config.GovernanceAction;
import org.o365audit.config.Tenant;
import org.o365audit.govern.GovernanceActions;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedOperationParameters;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * o365audit:type=Governance,tenant=&lt;tenant&gt;: the tenant's governance actions from Hawtio or any JMX client, each
 * through its route (routes/governance-actions.camel.yaml) like the REST call, audited with requestedBy "jmx" and the
 * logged-in user when the call came through Jolokia behind Spring Security.
 */
@ManagedResource(description = "Governance actions in a Microsoft 365 tenant (dry run first; audited)")
public class GovernanceMBean {
    private final Tenant tenant;
    private final GovernanceActions actions;

    GovernanceMBean(Tenant tenant, GovernanceActions actions) {
        this.tenant = tenant;
        this.actions = actions;
    }

    @ManagedAttribute(description = "The actions o365.tenants[i].governance.actions enables for this tenant")
    public String[] getEnabledActions() {
        return tenant.governanceActions().stream().map(GovernanceAction::key).sorted().toArray(String[]::new);
    }

    @ManagedAttribute(description = "True: every action runs as a dry run (governance.dry-run-only)")
    public boolean isDryRunOnly() {
        return tenant.governanceDryRunOnly();
    }

    @ManagedOperation(description = "Disable the user's account (refused for an account synced from on-premises unless forced)")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "target", description = "userPrincipalName or object id"),
            @ManagedOperationParameter(name = "dryRun", description = "true: only say what would change"),
            @ManagedOperationParameter(name = "force", description = "disable a synced account although its next sync reverts it"),
            @ManagedOperationParameter(name = "reason", description = "why (kept in the audit)")})
    public String suspendUser(String target, boolean dryRun, boolean force, String reason) {
        return run(GovernanceAction.SUSPEND_USER, target, dryRun, force, reason);
    }

    @ManagedOperation(description = "Require the user to sign in again (revoke refresh tokens and session cookies)")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "target", description = "userPrincipalName or object id"),
            @ManagedOperationParameter(name = "dryRun", description = "true: only say what would change"),
            @ManagedOperationParameter(name = "reason", description = "why (kept in the audit)")})
    public String revokeSessions(String target, boolean dryRun, String reason) {
        return run(GovernanceAction.REVOKE_SESSIONS, target, dryRun, false, reason);
    }

    @ManagedOperation(description = "Remove a file's anonymous links and external grants")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "target", description = "the file's URL, or drives/{driveId}/items/{itemId}"),
            @ManagedOperationParameter(name = "dryRun", description = "true: only say what would change"),
            @ManagedOperationParameter(name = "reason", description = "why (kept in the audit)")})
    public String removeSharing(String target, boolean dryRun, String reason) {
        return run(GovernanceAction.REMOVE_SHARING, target, dryRun, false, reason);
    }

    @ManagedOperation(description = "Confirm the user compromised in Entra ID Protection (Entra ID P2)")
    @ManagedOperationParameters({
            @ManagedOperationParameter(name = "target", description = "userPrincipalName or object id"),
            @ManagedOperationParameter(name = "dryRun", description = "true: only say what would change"),
            @ManagedOperationParameter(name = "reason", description = "why (kept in the audit)")})
    public String confirmCompromised(String target, boolean dryRun, String reason) {
        return run(GovernanceAction.CONFIRM_COMPROMISED, target, dryRun, false, reason);
    }

    private String run(GovernanceAction action, String target, boolean dryRun, boolean force, String reason) {
        return actions.run(action, tenant.tenantId(), target, dryRun, force, requestedBy(), reason).describe();
    }

    /** "jmx", with the Spring Security user when Hawtio called through Jolokia. */
    static String requestedBy() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a == null || a.getName() == null ? "jmx" : "jmx " + a.getName();
    }
}
