package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.o365audit.record.Texts;
import org.o365audit.store.DirectoryTables;

/**
 * Reads the entries of users/delta and groups/delta pages (graph.md 2.1, 2.2): the selected properties, the group's
 * kind from groupTypes/securityEnabled/mailEnabled, removals ({@code @removed}, whatever its reason).
 */
final class DirectoryEntries {
    private static final String TYPE_PREFIX = "#microsoft.graph.";

    private DirectoryEntries() {
    }

    static boolean removed(JsonNode entry) {
        return entry.has("@removed");
    }

    /** The longest object id the tables key on; Graph's are GUIDs (36). */
    static final int MAX_ID = 64;

    /** An entry's id, or null when it has none the tables can key on (missing, blank, longer than they hold). */
    static String id(JsonNode entry) {
        String id = entry.path("id").asText(null);
        return id == null || id.isBlank() || id.length() > MAX_ID || !id.equals(Texts.column(id, MAX_ID)) ? null : id;
    }

    /** Every text cleaned of what the databases refuse (U+0000, unpaired surrogates) and cut to its column. */
    static DirectoryTables.User user(JsonNode u) {
        return new DirectoryTables.User(u.path("id").asText(), text(u, "userPrincipalName", 512),
                text(u, "displayName", 512), text(u, "mail", 512), text(u, "department", 256), text(u, "jobTitle", 256),
                bool(u, "accountEnabled"), bool(u, "onPremisesSyncEnabled"), text(u, "userType", 32),
                time(u, "createdDateTime"));
    }

    /** True when the entry carries the group's properties, not only membership changes. */
    static boolean hasGroupProperties(JsonNode g) {
        return g.has("displayName") || g.has("groupTypes") || g.has("securityEnabled") || g.has("mailEnabled");
    }

    static DirectoryTables.Group group(JsonNode g) {
        return new DirectoryTables.Group(g.path("id").asText(), text(g, "displayName", 512), text(g, "mail", 512), kind(g),
                hasType(g, "DynamicMembership"), time(g, "createdDateTime"));
    }

    /** microsoft365 when groupTypes has Unified; otherwise by security and mail: security, distribution, both. */
    static String kind(JsonNode g) {
        if (hasType(g, "Unified")) {
            return "microsoft365";
        }
        boolean security = g.path("securityEnabled").asBoolean(false);
        boolean mail = g.path("mailEnabled").asBoolean(false);
        if (mail && security) {
            return "mail-enabled-security";
        }
        return mail ? "distribution" : "security";
    }

    /** The member's @odata.type without its namespace: user, group, device, servicePrincipal, orgContact. */
    static String memberType(JsonNode m) {
        String t = text(m, "@odata.type");
        return Texts.column(t == null ? null : t.startsWith(TYPE_PREFIX) ? t.substring(TYPE_PREFIX.length()) : t, 64);
    }

    private static boolean hasType(JsonNode g, String type) {
        for (JsonNode t : g.path("groupTypes")) {
            if (type.equalsIgnoreCase(t.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String text(JsonNode n, String field, int column) {
        return Texts.column(text(n, field), column);
    }

    private static Boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asBoolean();
    }

    private static Instant time(JsonNode n, String field) {
        String t = text(n, field);
        try {
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
