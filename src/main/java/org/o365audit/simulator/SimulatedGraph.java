package org.o365audit.simulator;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Microsoft Graph as one simulated tenant shows it, apart from the data each resource keeps: which resources the
 * app may not read (403 Authorization_RequestDenied, as when an application permission was not granted), whether the
 * tenant lacks the Entra ID P1/P2 licence the sign-in log needs, throttles to answer (429 with Retry-After), and the
 * log of Graph requests. Thread-safe; tests change it while the collector runs.
 */
public final class SimulatedGraph {
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final ThrottleQueue throttles = new ThrottleQueue();
    private final RequestLog requests = new RequestLog();
    private volatile boolean premium = true;
    private final SimulatedSignIns signIns = new SimulatedSignIns();
    private final SimulatedDirectory directory = new SimulatedDirectory();

    /** The tenant's users, groups and memberships (users/delta, groups/delta). */
    public SimulatedDirectory directory() {
        return directory;
    }
    private final SimulatedApps apps = new SimulatedApps();
    private final SimulatedRiskyUsers riskyUsers = new SimulatedRiskyUsers();

    /** Entra ID Protection's risky users (identityProtection/riskyUsers). */
    public SimulatedRiskyUsers riskyUsers() {
        return riskyUsers;
    }

    /** The writes (PATCH, POST, DELETE; not GET) sent to this tenant's Graph, oldest first: what an action changed. */
    public java.util.List<RecordedRequest> writes() {
        return requests.snapshot().stream().filter(r -> !r.method().equals("GET")).toList();
    }

    private final SimulatedFiles files = new SimulatedFiles();
    private final SimulatedAuditSearch auditSearch = new SimulatedAuditSearch();

    /** The tenant's audit log as Graph beta's audit log query API searches it (security/auditLog/queries). */
    public SimulatedAuditSearch auditSearch() {
        return auditSearch;
    }

    /** The tenant's SharePoint libraries and OneDrives, their files and sharing (shares, drives). */
    public SimulatedFiles files() {
        return files;
    }

    /**
     * The app lacks the permission for a resource, named by the first segment of its path: users, groups,
     * servicePrincipals, oauth2PermissionGrants, auditLogs, identityProtection, shares, drives. Every call under it
     * answers 403.
     */
    public void deny(String resource) {
        denied.add(resource);
    }

    /** The permission was granted after all. */
    public void allow(String resource) {
        denied.remove(resource);
    }

    boolean denies(String resource) {
        return denied.contains(resource);
    }

    /** The tenant's enterprise applications and their grants (servicePrincipals, oauth2PermissionGrants). */
    public SimulatedApps apps() {
        return apps;
    }

    /** False: the sign-in log answers 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant. */
    public void premium(boolean p) {
        premium = p;
    }

    boolean premium() {
        return premium;
    }

    /** The tenant's sign-in log (auditLogs/signIns). */
    public SimulatedSignIns signIns() {
        return signIns;
    }

    /** The next {@code count} Graph calls of this tenant answer 429 with this Retry-After. */
    public void throttleNext(int count, Duration retryAfter) {
        throttles.add(count, ThrottleStyle.HTTP_429, retryAfter);
    }

    ThrottleQueue throttles() {
        return throttles;
    }

    /** The Graph requests of this tenant (the last 10,000), oldest first, with their answers' status. */
    public java.util.List<RecordedRequest> requests() {
        return requests.snapshot();
    }

    void record(RecordedRequest r) {
        requests.add(r);
    }
}
