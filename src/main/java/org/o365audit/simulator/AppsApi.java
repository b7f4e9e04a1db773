package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Graph's application resources for a simulated tenant ({@link SimulatedApps}): {@code GET /servicePrincipals}
 * (honours {@code $select}, {@code $top} up to 999), {@code GET /servicePrincipals/{id}} ({@code $select=appRoles}),
 * {@code GET /servicePrincipals/{id}/appRoleAssignments} and {@code GET /oauth2PermissionGrants}; lists page with an
 * opaque {@code $skiptoken} in {@code @odata.nextLink}. Quirks served as Graph has them: an unverified publisher is a
 * verifiedPublisher object whose properties are null (not a null property), and a grant's scope is space-separated
 * with a leading space.
 */
final class AppsApi implements GraphApi.Resource {
    private static final Set<String> DEFAULT_SP = new LinkedHashSet<>(List.of("id", "appId", "displayName",
            "appOwnerOrganizationId", "publisherName", "verifiedPublisher", "servicePrincipalType", "accountEnabled",
            "appRoles"));

    @Override
    public SimResponse handle(SimRequest request, SimulatedTenant tenant, String path) {
        if (!"GET".equals(request.method())) {
            throw new GraphApi.GraphError(405, "Request_BadRequest", "Only GET is simulated here.");
        }
        SimulatedApps apps = tenant.graph().apps();
        String[] parts = path.split("/");
        if (parts[0].equals("oauth2PermissionGrants") && parts.length == 1) {
            return page(request, path, apps.pageSize(), apps.grants().stream().map(AppsApi::grant).toList());
        }
        if (parts[0].equals("servicePrincipals")) {
            if (parts.length == 1) {
                Set<String> select = select(request);
                return page(request, path, apps.pageSize(), apps.apps().stream().map(a -> servicePrincipal(a, select)).toList());
            }
            SimulatedApps.App app = apps.app(parts[1]).orElseThrow(() -> new GraphApi.GraphError(404,
                    "Request_ResourceNotFound", "Resource '" + parts[1] + "' does not exist or one of its queried"
                    + " reference-property objects are not present."));
            if (parts.length == 2) {
                ObjectNode body = servicePrincipal(app, select(request));
                body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity");
                return SimResponse.json(200, body);
            }
            if (parts.length == 3 && parts[2].equals("appRoleAssignments")) {
                return page(request, path, apps.pageSize(), apps.assignmentsOf(app.id()).stream()
                        .map(a -> assignment(a, app, apps)).toList());
            }
        }
        throw new GraphApi.GraphError(400, "Request_BadRequest", "Unsupported path '" + path + "'.");
    }

    private static Set<String> select(SimRequest request) {
        String s = request.param("$select");
        if (s == null || s.isBlank()) {
            return DEFAULT_SP;
        }
        Set<String> out = new LinkedHashSet<>(List.of("id"));
        Arrays.stream(s.split(",")).map(String::trim).forEach(out::add);
        return out;
    }

    private static ObjectNode servicePrincipal(SimulatedApps.App a, Set<String> select) {
        ObjectNode n = Json.object();
        for (String p : select) {
            switch (p) {
                case "id" -> n.put("id", a.id());
                case "appId" -> n.put("appId", a.appId());
                case "displayName" -> n.put("displayName", a.displayName());
                case "appOwnerOrganizationId" -> n.put("appOwnerOrganizationId", a.ownerTenantId());
                case "publisherName" -> n.put("publisherName", a.publisherName());
                case "servicePrincipalType" -> n.put("servicePrincipalType", a.type());
                case "accountEnabled" -> n.put("accountEnabled", true);
                case "verifiedPublisher" -> {
                    ObjectNode v = n.putObject("verifiedPublisher");
                    v.put("displayName", a.verifiedPublisher());
                    v.put("verifiedPublisherId", a.verifiedPublisher() == null ? null
                            : String.valueOf(Math.abs(a.verifiedPublisher().hashCode()) % 10_000_000));
                    v.put("addedDateTime", a.verifiedPublisher() == null ? null : "2023-03-01T10:00:00Z");
                }
                case "appRoles" -> {
                    ArrayNode roles = n.putArray("appRoles");
                    for (SimulatedApps.AppRole r : a.appRoles()) {
                        ObjectNode role = roles.addObject();
                        role.putArray("allowedMemberTypes").add("Application");
                        role.put("displayName", r.value());
                        role.put("id", r.id());
                        role.put("isEnabled", true);
                        role.put("origin", "Application");
                        role.put("value", r.value());
                    }
                }
                default -> { }
            }
        }
        return n;
    }

    private static ObjectNode grant(SimulatedApps.DelegatedGrant g) {
        ObjectNode n = Json.object();
        n.put("clientId", g.clientId());
        n.put("consentType", g.consent().name());
        n.put("id", g.id());
        n.put("principalId", g.principalId());
        n.put("resourceId", g.resourceId());
        n.put("scope", " " + g.scope().trim());
        return n;
    }

    private static ObjectNode assignment(SimulatedApps.RoleAssignment a, SimulatedApps.App principal, SimulatedApps apps) {
        ObjectNode n = Json.object();
        n.put("id", a.id());
        n.put("appRoleId", a.appRoleId());
        n.put("createdDateTime", a.created());
        n.put("principalDisplayName", principal.displayName());
        n.put("principalId", a.principalId());
        n.put("principalType", "ServicePrincipal");
        n.put("resourceDisplayName", apps.app(a.resourceId()).map(SimulatedApps.App::displayName).orElse(null));
        n.put("resourceId", a.resourceId());
        return n;
    }

    /** One page of a list from the $skiptoken's offset; the nextLink repeats the query with the next offset. */
    static SimResponse page(SimRequest request, String path, int pageSize, List<ObjectNode> all) {
        int size = pageSize;
        String top = request.param("$top");
        if (top != null) {
            int t;
            try {
                t = Integer.parseInt(top.trim());
            } catch (NumberFormatException e) {
                t = -1;
            }
            if (t < 1 || t > 999) {
                throw new GraphApi.GraphError(400, "Request_BadRequest",
                        "Invalid page size specified: '" + top + "'. Must be between 1 and 999 inclusive.");
            }
            size = Math.min(size, t);
        }
        int from = offset(request.param("$skiptoken"));
        ObjectNode body = Json.object();
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#" + path);
        int to = Math.min(all.size(), from + size);
        if (to < all.size()) {
            body.put("@odata.nextLink", nextLink(request, path, to));
        }
        ArrayNode value = body.putArray("value");
        all.subList(Math.min(from, all.size()), to).forEach(value::add);
        return SimResponse.json(200, body);
    }

    private static int offset(String token) {
        if (token == null) {
            return 0;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(s.substring(s.indexOf(':') + 1));
        } catch (RuntimeException e) {
            throw new GraphApi.GraphError(400, "Directory_ExpiredPageToken", "The specified page token value has expired"
                    + " and can no longer be included in your request.");
        }
    }

    private static String nextLink(SimRequest request, String path, int offset) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> e : request.query().entrySet()) {
            if (!e.getKey().equalsIgnoreCase("$skiptoken")) {
                q.append(encode(e.getKey())).append('=').append(encode(e.getValue())).append('&');
            }
        }
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(("X'" + offset + "':" + offset)
                .getBytes(StandardCharsets.UTF_8));
        return "https://" + request.header("Host") + GraphApi.PREFIX + path + "?" + q + "$skiptoken=" + token;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%24", "$");
    }
}
