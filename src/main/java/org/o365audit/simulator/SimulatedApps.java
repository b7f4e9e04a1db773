package org.o365audit.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The enterprise applications of one simulated tenant as Graph shows them: service principals (Microsoft Graph
 * itself among them, with its app roles), the delegated permission grants (oauth2PermissionGrants) and the
 * application permissions (appRoleAssignments) given to them. Tests and the demo add apps and grants while the
 * collector runs. Thread-safe.
 */
public final class SimulatedApps {
    /** appOwnerOrganizationId of Microsoft's own (first-party) apps. */
    public static final String MICROSOFT_SERVICES = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
    public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

    /** Consent for every user of the tenant (an admin consented) or for one user. */
    public enum Consent { AllPrincipals, Principal }

    /** An app role of a resource (an application permission): its id and its value (e.g. Mail.Read). */
    public record AppRole(String id, String value) {
    }

    /** A service principal; verifiedPublisher null when the publisher is not verified. */
    public record App(String id, String appId, String displayName, String ownerTenantId, String publisherName,
            String verifiedPublisher, String type, List<AppRole> appRoles) {
    }

    record DelegatedGrant(String id, String clientId, String resourceId, String scope, Consent consent, String principalId) {
    }

    record RoleAssignment(String id, String principalId, String resourceId, String appRoleId, String created) {
    }

    private final Map<String, App> apps = new LinkedHashMap<>();
    private final List<DelegatedGrant> grants = new ArrayList<>();
    private final List<RoleAssignment> assignments = new ArrayList<>();
    private final String graphId;
    private volatile int pageSize = 100;

    SimulatedApps() {
        // app role ids of Microsoft Graph as its service principal lists them
        graphId = add(new App(UUID.randomUUID().toString(), GRAPH_APP_ID, "Microsoft Graph", MICROSOFT_SERVICES,
                "Microsoft Services", null, "Application", List.of(
                        new AppRole("df021288-bdef-4463-88db-98f22de89214", "User.Read.All"),
                        new AppRole("810c84a8-4a9e-49e6-bf7d-12d183f40d01", "Mail.Read"),
                        new AppRole("01d4889c-1287-42c6-ac1f-5d1e02578ef6", "Files.Read.All"),
                        new AppRole("7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All"))));
    }

    /** The Microsoft Graph service principal's object id: the resource of most grants. */
    public String graphId() {
        return graphId;
    }

    /** The id of one of Microsoft Graph's app roles by its value (User.Read.All, Mail.Read, Files.Read.All, ...). */
    public String graphRole(String value) {
        return apps.get(graphId).appRoles().stream().filter(r -> r.value().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Microsoft Graph has no app role " + value)).id();
    }

    /**
     * A service principal of an application registered in {@code ownerTenantId}; {@code verifiedPublisher} is the
     * verified publisher's name, or null. Returns its object id (the id grants name).
     */
    public String addApp(String displayName, String ownerTenantId, String publisherName, String verifiedPublisher) {
        return add(new App(UUID.randomUUID().toString(), UUID.randomUUID().toString(), displayName, ownerTenantId,
                publisherName, verifiedPublisher, "Application", List.of()));
    }

    /**
     * As {@link #addApp(String, String, String, String)}, with a given application (client) id; the service principal's
     * object id follows from it, so that a simulator started again (the demo) shows the same apps.
     */
    public String addApp(String appId, String displayName, String ownerTenantId, String publisherName,
            String verifiedPublisher) {
        String id = UUID.nameUUIDFromBytes(("service-principal:" + appId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        return add(new App(id, appId, displayName, ownerTenantId, publisherName, verifiedPublisher, "Application",
                List.of()));
    }

    private synchronized String add(App app) {
        apps.put(app.id(), app);
        return app.id();
    }

    /** The app (its service principal) is deleted from the tenant, with its grants. */
    public synchronized void removeApp(String spId) {
        apps.remove(spId);
        grants.removeIf(g -> g.clientId().equals(spId));
        assignments.removeIf(a -> a.principalId().equals(spId));
    }

    /** Delegated permissions ("Mail.Read Files.Read") for an app on a resource; a Principal consent is one user's. */
    public synchronized String grantDelegated(String spId, String resourceSpId, String scope, Consent consent) {
        String id = UUID.randomUUID().toString();
        grants.add(new DelegatedGrant(id, spId, resourceSpId, scope, consent,
                consent == Consent.Principal ? UUID.randomUUID().toString() : null));
        return id;
    }

    /** An application permission: an app role of the resource assigned to the app's service principal. */
    public synchronized String grantApplication(String spId, String resourceSpId, String appRoleId) {
        String id = UUID.randomUUID().toString();
        assignments.add(new RoleAssignment(id, spId, resourceSpId, appRoleId, java.time.Instant.now().toString()));
        return id;
    }

    /** Items per page of the lists (Graph's default is 100). */
    public void pageSize(int n) {
        pageSize = Math.max(1, n);
    }

    int pageSize() {
        return pageSize;
    }

    synchronized List<App> apps() {
        return List.copyOf(apps.values());
    }

    synchronized Optional<App> app(String id) {
        return Optional.ofNullable(apps.get(id));
    }

    synchronized List<DelegatedGrant> grants() {
        return List.copyOf(grants);
    }

    synchronized List<RoleAssignment> assignmentsOf(String spId) {
        return assignments.stream().filter(a -> a.principalId().equals(spId)).toList();
    }
}
