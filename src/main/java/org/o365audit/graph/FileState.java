package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A file as Microsoft Graph shows it now: where it is (drive, item, web URL, folder path), its owner, size, last
 * change, workload (OneDrive for a {@code business} drive, else SharePoint) and its sharing.
 */
public record FileState(String driveId, String itemId, String name, String webUrl, String path, String owner,
        Long size, Instant lastModified, String workload, FileSharing sharing) {

    /** From a driveItem ($select id,name,webUrl,size,parentReference,lastModifiedDateTime,createdBy,...). */
    public static FileState of(JsonNode item, FileSharing sharing, String owner) {
        JsonNode parent = item.path("parentReference");
        String folder = parent.path("path").asText("");
        int root = folder.indexOf("root:");
        folder = root < 0 ? "" : folder.substring(root + "root:".length());
        String name = item.path("name").asText(null);
        Instant modified = null;
        try {
            modified = item.hasNonNull("lastModifiedDateTime") ? Instant.parse(item.path("lastModifiedDateTime").asText()) : null;
        } catch (java.time.format.DateTimeParseException e) {
            // left empty: an odd timestamp does not keep the file out
        }
        return new FileState(parent.path("driveId").asText(), item.path("id").asText(), name,
                item.path("webUrl").asText(), folder + "/" + (name == null ? "" : name), owner,
                item.hasNonNull("size") ? item.path("size").asLong() : null, modified,
                "business".equals(parent.path("driveType").asText()) ? "OneDrive" : "SharePoint", sharing);
    }

    /** Who owns the file: the (non-inherited) user holding the owner role, else its creator. */
    public static String owner(JsonNode item, Iterable<JsonNode> permissions) {
        for (JsonNode p : permissions) {
            boolean owner = false;
            for (JsonNode r : p.path("roles")) {
                owner |= r.asText().equals("owner");
            }
            JsonNode user = p.path("grantedToV2").path("user");
            if (owner && user.isObject() && p.path("inheritedFrom").isMissingNode()) {
                return user.path("email").asText(user.path("displayName").asText(null));
            }
        }
        JsonNode creator = item.path("createdBy").path("user");
        return creator.isObject() ? creator.path("email").asText(creator.path("displayName").asText(null)) : null;
    }
}
