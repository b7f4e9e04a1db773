package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.camel.Header;
import org.o365audit.api.GraphClient;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.Tenant;
import org.o365audit.record.Headers;
import org.o365audit.record.Texts;
import org.springframework.stereotype.Component;

/**
 * Reads, whole, the applications of other organisations that have access to a tenant: every service principal
 * ({@code GET /servicePrincipals}), every delegated grant ({@code GET /oauth2PermissionGrants}) and, for each
 * third-party app, its application permissions ({@code GET /servicePrincipals/{id}/appRoleAssignments}), whose app
 * role ids are named from the resource's {@code appRoles}. All pages are followed to the end.
 * <p>
 * Not third-party, so left out: the tenant's own apps and managed identities, and Microsoft's first-party apps
 * (owner tenant {@value #MICROSOFT_SERVICES}, "Microsoft Services", or {@value #MICROSOFT_CORP}, Microsoft's own
 * corporate tenant), which every tenant has by the hundred. Microsoft-published tools registered elsewhere (Graph
 * Explorer, the Graph command-line tools) stay in: their delegated grants are the tenant's consent.
 */
@Component("appCatalogue")
public class AppCatalogue {
    static final String MICROSOFT_SERVICES = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
    static final String MICROSOFT_CORP = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    /** The app role id of "default access" (an assignment without a specific role). */
    private static final String DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000";

    private static final java.util.regex.Pattern USABLE_ID = java.util.regex.Pattern.compile("[0-9A-Za-z-]{1,64}");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("org.o365audit.graph");

    private final GraphClient graph;
    private final TenantRegistry tenants;

    public AppCatalogue(GraphClient graph, TenantRegistry tenants) {
        this.graph = graph;
        this.tenants = tenants;
    }

    public List<ThirdPartyApp> read(@Header(Headers.TENANT_ID) String tenantId) {
        Tenant tenant = tenants.get(tenantId);
        Map<String, String> names = new HashMap<>();
        List<JsonNode> thirdParty = new ArrayList<>();
        each(tenant, "/servicePrincipals?$select=id,appId,displayName,appOwnerOrganizationId,publisherName,"
                + "verifiedPublisher,servicePrincipalType,accountEnabled&$top=999", "service principals", sp -> {
                    names.put(sp.path("id").asText(), sp.path("displayName").asText(sp.path("appId").asText()));
                    if (thirdParty(sp, tenant.tenantId())) {
                        if (usableId(sp.path("id").asText()) && usableId(sp.path("appId").asText())) {
                            thirdParty.add(sp);
                        } else {
                            // an id that no table keys on and no URL can carry: this app alone is left out
                            LOG.warn("tenant {} apps: a service principal without a usable id or appId ({}) was left out",
                                    tenant.name(), Texts.printable(sp.path("id").asText(""), 100));
                        }
                    }
                });
        Map<String, Set<String>> lines = new HashMap<>();
        thirdParty.forEach(sp -> lines.put(sp.path("id").asText(), new TreeSet<>()));
        each(tenant, "/oauth2PermissionGrants", "delegated permission grants", g -> {
            Set<String> of = lines.get(g.path("clientId").asText());
            if (of != null) {
                String resource = names.getOrDefault(g.path("resourceId").asText(), g.path("resourceId").asText());
                for (String scope : g.path("scope").asText("").trim().split("\\s+")) {
                    if (!scope.isEmpty()) {
                        of.add(PermissionSet.delegated(resource, scope, g.path("consentType").asText()));
                    }
                }
            }
        });
        Map<String, Map<String, String>> roles = new HashMap<>();
        List<ThirdPartyApp> apps = new ArrayList<>();
        for (JsonNode sp : thirdParty) {
            String id = sp.path("id").asText();
            each(tenant, "/servicePrincipals/" + id + "/appRoleAssignments", "app role assignments", a -> {
                String resourceId = a.path("resourceId").asText();
                String resource = a.path("resourceDisplayName").asText(names.getOrDefault(resourceId, resourceId));
                String roleId = a.path("appRoleId").asText();
                String role = DEFAULT_ACCESS.equals(roleId) ? "default-access" : !usableId(resourceId) ? roleId
                        : roles.computeIfAbsent(resourceId, r -> appRoles(tenant, r)).getOrDefault(roleId, roleId);
                lines.get(id).add(PermissionSet.application(resource, role));
            });
            JsonNode verified = sp.path("verifiedPublisher").path("displayName");
            apps.add(new ThirdPartyApp(id, sp.path("appId").asText(), text(sp.path("displayName")),
                    Texts.column(text(sp.path("appOwnerOrganizationId")), 64), text(sp.path("publisherName")), text(verified),
                    PermissionSet.of(lines.get(id))));
        }
        return apps;
    }

    /** An object id Graph gives (a GUID): letters, digits and dashes, at most the 64 characters the tables key on. */
    static boolean usableId(String id) {
        return id != null && USABLE_ID.matcher(id).matches();
    }

    /** Another organisation's application, not Microsoft's own nor a managed identity. */
    static boolean thirdParty(JsonNode sp, String tenantId) {
        String owner = text(sp.path("appOwnerOrganizationId"));
        return owner != null && !owner.equalsIgnoreCase(tenantId) && !owner.equalsIgnoreCase(MICROSOFT_SERVICES)
                && !owner.equalsIgnoreCase(MICROSOFT_CORP)
                && !"ManagedIdentity".equalsIgnoreCase(sp.path("servicePrincipalType").asText());
    }

    /** The resource's app roles, id to value (e.g. Mail.Read). */
    private Map<String, String> appRoles(Tenant tenant, String resourceId) {
        JsonNode sp = graph.get(tenant, graph.url(tenant, "/servicePrincipals/" + resourceId + "?$select=id,appRoles"),
                "app roles of a resource");
        Map<String, String> out = new HashMap<>();
        sp.path("appRoles").forEach(r -> out.put(r.path("id").asText(), r.path("value").asText(r.path("id").asText())));
        return out;
    }

    private void each(Tenant tenant, String first, String what, Consumer<JsonNode> item) {
        URI next = graph.url(tenant, first);
        while (next != null) {
            JsonNode page = graph.get(tenant, next, what);
            page.path("value").forEach(item);
            next = GraphClient.nextLink(page);
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || n.asText().isBlank() ? null : n.asText();
    }
}
