package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A file's sharing as its Graph permissions show it (shared/docs/graph.md 3.4): its {@link SharingLevel} and one
 * entry per permission that gives access beyond the owners ("anonymous view link", "guest pat@fabrikam.com (read)").
 * Owner entries (the owner, the site's owners) are not listed: they are what private means. Inherited permissions
 * count like the item's own (they give the same access); SharePoint libraries may not mark them (graph.md 3.5).
 */
public record FileSharing(SharingLevel level, List<Entry> entries) {

    /** One permission: what it gives to whom, its id (for removing it) and its level. */
    public record Entry(String permissionId, SharingLevel level, String text) {
    }

    /** Says whether a person (an e-mail or UPN) is outside the tenant. */
    public interface People {
        boolean external(String emailOrUpn);
    }

    public static FileSharing of(Iterable<JsonNode> permissions, People people) {
        List<Entry> entries = new ArrayList<>();
        SharingLevel level = SharingLevel.PRIVATE;
        for (JsonNode p : permissions) {
            Entry e = entry(p, people);
            if (e != null) {
                entries.add(e);
                level = level.max(e.level());
            }
        }
        return new FileSharing(level, List.copyOf(entries));
    }

    /** The entries as one short text, e.g. {@code anonymous view link; guest x@y (read)}; "" when private. */
    public String text() {
        return entries.stream().map(Entry::text).collect(Collectors.joining("; "));
    }

    /** The ids of the permissions that make the level, space-separated. */
    public String permissionIds() {
        return entries.stream().map(Entry::permissionId).collect(Collectors.joining(" "));
    }

    private static Entry entry(JsonNode p, People people) {
        String id = p.path("id").asText("");
        String roles = roles(p);
        if (roles.contains("owner")) {
            return null;
        }
        JsonNode link = p.path("link");
        if (link.isObject() && link.hasNonNull("scope")) {
            String scope = link.path("scope").asText().toLowerCase(Locale.ROOT);
            String type = link.path("type").asText("view");
            return switch (scope) {
                case "anonymous" -> new Entry(id, SharingLevel.PUBLIC, "anonymous " + type + " link");
                case "organization" -> new Entry(id, SharingLevel.INTERNAL, "organization " + type + " link");
                case "existingaccess" -> null;   // grants nothing new
                default -> peopleLink(id, type, p.path("grantedToIdentitiesV2"), people);
            };
        }
        JsonNode granted = p.path("grantedToV2");
        for (String kind : List.of("user", "siteUser")) {
            JsonNode who = granted.path(kind);
            if (who.isObject()) {
                String address = address(who);
                boolean external = address != null && people.external(address);
                return new Entry(id, external ? SharingLevel.EXTERNAL : SharingLevel.INTERNAL,
                        (external ? "guest " : "member ") + name(who) + " (" + roles + ")");
            }
        }
        for (String kind : List.of("group", "siteGroup", "application")) {
            JsonNode who = granted.path(kind);
            if (who.isObject()) {
                return new Entry(id, SharingLevel.INTERNAL, kind.replace("site", "site ").toLowerCase(Locale.ROOT)
                        + " " + name(who) + " (" + roles + ")");
            }
        }
        String invited = p.path("invitation").path("email").asText(null);
        if (invited != null) {
            boolean external = people.external(invited);
            return new Entry(id, external ? SharingLevel.EXTERNAL : SharingLevel.INTERNAL,
                    (external ? "invited guest " : "invited member ") + invited + " (" + roles + ")");
        }
        return null;
    }

    /** A specific-people link: external unless every recipient is known and inside the tenant. */
    private static Entry peopleLink(String id, String type, JsonNode recipients, People people) {
        List<String> names = new ArrayList<>();
        boolean external = !recipients.isArray() || recipients.isEmpty();
        for (JsonNode r : recipients) {
            JsonNode who = r.path("user").isObject() ? r.path("user") : r.path("siteUser");
            String address = address(who);
            external |= address == null || people.external(address);
            names.add(name(who));
        }
        return new Entry(id, external ? SharingLevel.EXTERNAL : SharingLevel.INTERNAL, "specific-people " + type
                + " link" + (names.isEmpty() ? "" : " for " + String.join(", ", names)));
    }

    private static String roles(JsonNode p) {
        List<String> out = new ArrayList<>();
        p.path("roles").forEach(r -> out.add(r.asText()));
        return String.join(",", out);
    }

    private static String address(JsonNode who) {
        for (String f : List.of("email", "loginName", "userPrincipalName")) {
            String v = who.path(f).asText("");
            if (v.contains("@")) {
                return v.substring(v.lastIndexOf('|') + 1);
            }
        }
        return null;
    }

    private static String name(JsonNode who) {
        String address = address(who);
        return address != null ? address : who.path("displayName").asText(who.path("id").asText("?"));
    }
}
