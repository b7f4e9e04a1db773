package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Graph's file resources for a simulated tenant ({@link SimulatedFiles}):
 * {@code GET /shares/{u!url}/driveItem} (the item at a file's URL or a sharing link's),
 * {@code GET /drives/{d}/items/{i}} (both honour {@code $select}), {@code GET /drives/{d}/items/{i}/permissions}
 * (paged by {@code $skiptoken}), {@code GET .../permissions/{p}} and {@code DELETE .../permissions/{p}} (204; 404
 * itemNotFound when absent; 403 accessDenied for an inherited permission, the owner's or a read-only app; 412
 * preconditionFailed when {@code if-match} names an older eTag of the item). Quirk served as SharePoint has it: the
 * {@code shared} facet is missing when the only sharing is a specific-people link.
 */
final class DrivesApi implements GraphApi.Resource {

    @Override
    public SimResponse handle(SimRequest request, SimulatedTenant tenant, String path) {
        SimulatedFiles files = tenant.graph().files();
        String[] parts = path.split("/");
        if (parts[0].equals("shares") && parts.length == 3 && parts[2].equals("driveItem")) {
            requireGet(request);
            String url = decodeShareId(parts[1]);
            SimulatedFiles.Item item = files.itemAt(url).orElseThrow(DrivesApi::notFound);
            return SimResponse.json(200, withContext(driveItem(files, item, select(request)), "driveItem"));
        }
        if (parts[0].equals("drives") && parts.length >= 4 && parts[2].equals("items")) {
            SimulatedFiles.Item item = files.item(parts[1], parts[3]).orElseThrow(DrivesApi::notFound);
            if (parts.length == 4) {
                requireGet(request);
                return SimResponse.json(200, withContext(driveItem(files, item, select(request)), "driveItem"));
            }
            if (parts[4].equals("permissions") && parts.length == 5) {
                requireGet(request);
                List<ObjectNode> all = files.permissions(item.driveId(), item.id()).stream()
                        .map(DrivesApi::permission).toList();
                return AppsApi.page(request, path, files.pageSize(), all);
            }
            if (parts[4].equals("permissions") && parts.length == 6) {
                SimulatedFiles.Permission p = files.permissions(item.driveId(), item.id()).stream()
                        .filter(x -> x.id().equals(parts[5])).findFirst().orElseThrow(DrivesApi::notFound);
                if (request.method().equals("DELETE")) {
                    return delete(request, files, item, p);
                }
                requireGet(request);
                return SimResponse.json(200, withContext(permission(p), "permission"));
            }
        }
        throw new GraphApi.GraphError(400, "invalidRequest", "Unsupported path '" + path + "'.");
    }

    private static SimResponse delete(SimRequest request, SimulatedFiles files, SimulatedFiles.Item item,
            SimulatedFiles.Permission p) {
        if (files.readOnly()) {
            throw new GraphApi.GraphError(403, "accessDenied", "Access denied");
        }
        String ifMatch = request.header("if-match");
        if (ifMatch != null && !ifMatch.trim().equals("*") && !ifMatch.trim().equals(item.eTag())) {
            throw new GraphApi.GraphError(412, "preconditionFailed", "ETag mismatch");
        }
        if (p.inheritedFrom() != null || p.roles().contains("owner")) {
            throw new GraphApi.GraphError(403, "accessDenied", "This permission cannot be removed here: it is "
                    + (p.inheritedFrom() != null ? "inherited from a parent." : "the owner's."));
        }
        files.removePermission(item.driveId(), item.id(), p.id());
        return SimResponse.empty(204);
    }

    private static void requireGet(SimRequest request) {
        if (!"GET".equals(request.method())) {
            throw new GraphApi.GraphError(405, "invalidRequest", "The method " + request.method()
                    + " is not allowed on this resource.");
        }
    }

    private static GraphApi.GraphError notFound() {
        return new GraphApi.GraphError(404, "itemNotFound", "The resource could not be found.");
    }

    /** {@code u!} and the URL in unpadded base64url (encoding sharing URLs, "Accessing shared DriveItems"). */
    private static String decodeShareId(String shareId) {
        if (!shareId.startsWith("u!")) {
            throw new GraphApi.GraphError(400, "invalidRequest", "Invalid shares key.");
        }
        try {
            return new String(Base64.getUrlDecoder().decode(shareId.substring(2)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new GraphApi.GraphError(400, "invalidRequest", "Invalid shares key.");
        }
    }

    private static Set<String> select(SimRequest request) {
        String s = request.param("$select");
        return s == null || s.isBlank() ? null
                : Arrays.stream(s.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    private static ObjectNode withContext(ObjectNode n, String entity) {
        ObjectNode out = Json.object();
        out.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#" + entity);
        out.setAll(n);
        return out;
    }

    private static ObjectNode driveItem(SimulatedFiles files, SimulatedFiles.Item i, Set<String> select) {
        SimulatedFiles.Drive drive = files.drive(i.driveId()).orElseThrow();
        ObjectNode n = Json.object();
        n.put("id", i.id());
        n.put("eTag", i.eTag());
        n.put("cTag", "\"c:{" + i.id() + "},1\"");
        n.put("name", i.name());
        n.put("webUrl", i.webUrl());
        n.put("size", i.size());
        n.put("createdDateTime", i.created().toString());
        n.put("lastModifiedDateTime", i.lastModified().toString());
        identitySet(n.putObject("createdBy"), i.owner());
        identitySet(n.putObject("lastModifiedBy"), i.lastModifiedBy());
        ObjectNode parent = n.putObject("parentReference");
        parent.put("driveType", drive.driveType());
        parent.put("driveId", drive.id());
        parent.put("path", "/drives/" + drive.id() + "/root:" + i.path());
        n.putObject("file").put("mimeType", i.name().endsWith(".xlsx")
                ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "application/octet-stream");
        String scope = sharedScope(files.permissions(i.driveId(), i.id()));
        if (scope != null) {
            ObjectNode shared = n.putObject("shared");
            shared.put("scope", scope);
            identitySet(shared.putObject("owner"), i.owner());
        }
        if (select != null) {
            n.retain(select.stream().filter(s -> !s.equals("id")).toList());
            n.put("id", i.id());
        }
        return n;
    }

    /** The widest link or grant scope; null when the item is not shared, or shared only by specific-people links. */
    private static String sharedScope(List<SimulatedFiles.Permission> permissions) {
        boolean users = false;
        boolean organization = false;
        for (SimulatedFiles.Permission p : permissions) {
            if (p.link() != null && p.link().scope().equals("anonymous")) {
                return "anonymous";
            }
            organization |= p.link() != null && p.link().scope().equals("organization");
            users |= p.link() == null && p.inheritedFrom() == null && !p.roles().contains("owner");
        }
        return organization ? "organization" : users ? "users" : null;
    }

    private static ObjectNode permission(SimulatedFiles.Permission p) {
        ObjectNode n = Json.object();
        n.put("id", p.id());
        ArrayNode roles = n.putArray("roles");
        p.roles().forEach(roles::add);
        n.put("hasPassword", false);
        if (p.shareId() != null) {
            n.put("shareId", p.shareId());
        }
        if (p.link() != null) {
            ObjectNode link = n.putObject("link");
            link.put("scope", p.link().scope());
            link.put("type", p.link().type());
            link.put("webUrl", p.link().webUrl());
            link.put("preventsDownload", false);
        }
        ArrayNode identities = n.putArray("grantedToIdentitiesV2");
        p.grantedToIdentities().forEach(who -> identitySet(identities.addObject(), who));
        if (p.grantedTo() != null) {
            identitySet(n.putObject("grantedToV2"), p.grantedTo());
        } else if (p.siteGroup() != null) {
            ObjectNode group = n.putObject("grantedToV2").putObject("siteGroup");
            group.put("displayName", p.siteGroup());
            group.put("id", "3");
            group.put("loginName", p.siteGroup());
        }
        if (p.invitationEmail() != null) {
            ObjectNode invitation = n.putObject("invitation");
            invitation.put("email", p.invitationEmail());
            invitation.put("signInRequired", true);
        }
        if (p.inheritedFrom() != null) {
            ObjectNode from = n.putObject("inheritedFrom");
            from.put("id", p.inheritedFrom());
        }
        return n;
    }

    private static void identitySet(ObjectNode n, SimulatedFiles.Identity who) {
        ObjectNode user = n.putObject("user");
        user.put("displayName", who.displayName());
        user.put("email", who.email());
        user.put("id", who.id());
    }
}
