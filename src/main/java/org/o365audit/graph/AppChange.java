package org.o365audit.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * A change in an app's access that a security team wants to hear of: {@value #GRANTED} (an app that had no
 * permission in the tenant, because it is new, came back after being removed, or had none, now has some) or
 * {@value #GREW} (an app's permission set gained lines). Fewer permissions, a removed app, a renamed one: no event,
 * the inventory shows them. {@code since} names the state the change starts from (new, removed at..., changed at...):
 * with the tenant, the app, the operation and both permission sets it makes the event's Id, so the same change found
 * again (a rerun, a restart, a second node) is the same record, and a permission removed and granted again is a new one.
 */
public record AppChange(String operation, ThirdPartyApp app, PermissionSet before, String since) {
    public static final String GRANTED = "AppAccessGranted";
    public static final String GREW = "AppPermissionsGrew";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The change from what was stored ({@code stored} null: never seen) to what Graph shows now; null when none to report. */
    public static AppChange of(ThirdPartyApp app, AppPrincipals.Stored stored) {
        if (app.permissions().isEmpty()) {
            return null;
        }
        if (stored == null) {
            return new AppChange(GRANTED, app, PermissionSet.NONE, "new");
        }
        if (stored.removedAt() != null) {
            return new AppChange(GRANTED, app, PermissionSet.NONE, "removed " + stored.removedAt().toEpochMilli());
        }
        String since = "changed " + (stored.permissionsChangedAt() == null ? stored.firstSeen() : stored.permissionsChangedAt())
                .toEpochMilli();
        if (stored.permissions().isEmpty()) {
            return new AppChange(GRANTED, app, PermissionSet.NONE, since);
        }
        return app.permissions().addedSince(stored.permissions()).isEmpty() ? null
                : new AppChange(GREW, app, stored.permissions(), since);
    }

    public List<String> added() {
        return app.permissions().addedSince(before);
    }

    /** A name-based UUID of everything that makes this change this one. */
    public String id(String tenantId) {
        String key = String.join("|", "graph-apps", tenantId, app.id(), operation, since, before.text(), app.permissions().text());
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The event as stored in audit_event.raw and sent to the sinks. */
    public ObjectNode record(String tenantId, Instant detected, Instant firstSeen) {
        ObjectNode r = JSON.createObjectNode();
        r.put("Id", id(tenantId));
        r.put("CreationTime", TIME.format(detected));
        r.put("Operation", operation);
        r.put("Workload", "AzureActiveDirectory");
        r.put("OrganizationId", tenantId);
        r.put("ObjectId", app.id());
        r.put("AppId", app.appId());
        r.put("AppDisplayName", app.displayName());
        r.put("AppOwnerOrganizationId", app.ownerTenantId());
        r.put("PublisherName", app.publisherName());
        r.put("VerifiedPublisher", app.verifiedPublisher());
        r.put("PublisherVerified", app.verified());
        added().forEach(r.putArray("AddedPermissions")::add);
        app.permissions().lines().forEach(r.putArray("Permissions")::add);
        r.put("FirstSeen", firstSeen.toString());
        return r;
    }
}
