package org.o365audit.govern;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.o365audit.api.GraphClient;
import org.o365audit.api.ManagementApiException;
import org.o365audit.api.TenantBackingOffException;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * remove-sharing: deletes a file's anonymous links and external grants (graph.md 3.4, 3.5). The file is named by its
 * URL (found through {@code /shares/{u!...}/driveItem}) or as {@code drives/{driveId}/items/{itemId}}; every page of
 * its permissions is read, those that open it outside the tenant ({@link SharingPermission}) are deleted one by one
 * ({@code DELETE .../permissions/{id}}: 204; 404 means already gone), inherited ones are left (they can only be
 * removed where they are set) and explained, and the permissions are listed again to report what is left.
 */
@Component("removeSharing")
public class RemoveSharing {
    private final GraphClient graph;

    public RemoveSharing(GraphClient graph) {
        this.graph = graph;
    }

    /** drives/{driveId}/items/{itemId}, each id as Graph writes them (letters, digits, '!', '-', '_'): nothing else goes in the path. */
    private static final java.util.regex.Pattern DRIVE_ITEM = java.util.regex.Pattern.compile("drives/[A-Za-z0-9!_-]+/items/[A-Za-z0-9!_-]+");

    /** What the plan found: the file, the owner's domain, and the permissions that open it outside. */
    record Sharing(String driveId, String itemId, String name, String ownerDomain, List<SharingPermission> removable,
                   List<SharingPermission> inherited) {
        String path() {
            return "/drives/" + driveId + "/items/" + itemId;
        }

        String file() {
            return name + " (" + path() + ")";
        }
    }

    public void plan(GovernanceCase c) {
        Tenant t = c.request().tenant();
        String target = c.request().target();
        URI itemUrl;
        if (DRIVE_ITEM.matcher(target).matches()) {
            itemUrl = graph.url(t, "/" + target + "?$select=id,name,webUrl,createdBy,parentReference");
        } else if (target.startsWith("https://")) {
            itemUrl = graph.url(t, "/shares/" + GraphClient.shareId(target) + "/driveItem?$select=id,name,webUrl,createdBy,parentReference");
        } else {
            c.decide(GovernanceResult.REFUSED, "remove-sharing needs the file's URL (https://...) or drives/{driveId}/items/{itemId}, not '"
                    + target + "'");
            return;
        }
        try {
            JsonNode item = graph.send(t, "GET", itemUrl, "file " + target, null).body();
            String driveId = item.path("parentReference").path("driveId").asText();
            String itemId = item.path("id").asText();
            String ownerDomain = SharingPermission.domainOf(item.path("createdBy").path("user").path("email").asText(null));
            List<SharingPermission> outside = permissions(t, driveId, itemId).stream()
                    .filter(p -> p.opensOutside(ownerDomain)).toList();
            Sharing s = new Sharing(driveId, itemId, item.path("name").asText(), ownerDomain,
                    outside.stream().filter(p -> !p.inherited()).toList(), outside.stream().filter(SharingPermission::inherited).toList());
            c.plan(s);
            if (outside.isEmpty()) {
                c.decide(GovernanceResult.NOTHING_TO_DO, "file " + s.file() + " has no anonymous link and no grant to a person"
                        + " outside the tenant" + (ownerDomain == null ? "" : " (outside: not @" + ownerDomain + ", or a guest)"));
            } else if (s.removable().isEmpty()) {
                c.decide(GovernanceResult.NOTHING_TO_DO, "file " + s.file() + ": " + inheritedNote(s)
                        + "; nothing can be deleted on the file itself");
            }
        } catch (RuntimeException e) {
            GraphFailures.decide(c, e, "reading file " + target + " and its permissions", m -> m.status() == 404
                    ? "no such file: " + target + " (deleted, or the URL names no file the app can see)"
                    : m.status() == 403 ? "the app registration may not read the file's permissions: grant Files.Read.All"
                    + " (and Files.ReadWrite.All or Sites.ReadWrite.All to remove sharing)" : null);
        }
    }

    public void preview(GovernanceCase c) {
        Sharing s = c.plan();
        c.decide(GovernanceResult.WOULD_CHANGE, "file " + s.file() + ": would DELETE " + s.removable().stream()
                .map(p -> s.path() + "/permissions/" + p.id() + " [" + p.describe(s.ownerDomain()) + "]")
                .collect(Collectors.joining("; ")) + (s.inherited().isEmpty() ? "" : "; " + inheritedNote(s)));
    }

    public void act(GovernanceCase c) {
        Sharing s = c.plan();
        Tenant t = c.request().tenant();
        List<String> removed = new ArrayList<>();
        List<String> notRemoved = new ArrayList<>();
        ManagementApiException last = null;
        for (SharingPermission p : s.removable()) {
            try {
                graph.send(t, "DELETE", graph.url(t, s.path() + "/permissions/" + p.id()), "delete permission " + p.id()
                        + " of " + s.path(), null);
                removed.add(p.describe(s.ownerDomain()));
            } catch (TenantBackingOffException e) {
                notRemoved.add(p.describe(s.ownerDomain()) + ": not tried, throttled by Microsoft Graph (retry later)");
            } catch (ManagementApiException e) {
                if (e.status() == 404) {
                    removed.add(p.describe(s.ownerDomain()) + " (already gone)");
                    continue;
                }
                last = e;
                notRemoved.add(p.describe(s.ownerDomain()) + ": HTTP " + e.status() + " " + GraphFailures.answer(e)
                        + (e.status() == 403 ? " (the app needs Files.ReadWrite.All or Sites.ReadWrite.All; inherited and"
                        + " owner permissions cannot be deleted on the file)" : ""));
            }
        }
        String left = stillThere(c, s);
        String detail = "file " + s.file() + ": removed " + removed.size() + " of " + s.removable().size()
                + (removed.isEmpty() ? "" : ": " + String.join("; ", removed))
                + (notRemoved.isEmpty() ? "" : ". Could not remove: " + String.join("; ", notRemoved))
                + (s.inherited().isEmpty() ? "" : ". " + inheritedNote(s)) + left;
        c.decide(notRemoved.isEmpty() ? GovernanceResult.DONE : GovernanceResult.FAILED, detail);
        if (last != null) {
            c.answered(last.status(), GraphFailures.answer(last));
        } else {
            c.answered(204, null);
        }
    }

    /** The permissions listed again after the deletes: those that still open the file outside. */
    private String stillThere(GovernanceCase c, Sharing s) {
        try {
            Set<String> left = permissions(c.request().tenant(), s.driveId(), s.itemId()).stream()
                    .filter(p -> p.opensOutside(s.ownerDomain()) && !p.inherited()).map(SharingPermission::id)
                    .collect(Collectors.toSet());
            return left.isEmpty() ? ". Listed again: no anonymous link or external grant is left on the file"
                    : ". Listed again: still there " + String.join(", ", left);
        } catch (RuntimeException e) {
            return ". Could not list the permissions again: " + e.getMessage();
        }
    }

    private static String inheritedNote(Sharing s) {
        return s.inherited().size() + " inherited permission(s) kept (" + s.inherited().stream()
                .map(p -> p.describe(s.ownerDomain())).collect(Collectors.joining("; ")) + "): Graph deletes a permission "
                + "only where it is set, so remove it on the folder or library it comes from";
    }

    private List<SharingPermission> permissions(Tenant t, String driveId, String itemId) {
        List<SharingPermission> all = new ArrayList<>();
        URI next = graph.url(t, "/drives/" + driveId + "/items/" + itemId + "/permissions");
        while (next != null) {
            JsonNode page = graph.send(t, "GET", next, "permissions of /drives/" + driveId + "/items/" + itemId, null).body();
            page.path("value").forEach(p -> all.add(SharingPermission.of(p)));
            next = GraphClient.nextLink(page);
        }
        return all;
    }
}
