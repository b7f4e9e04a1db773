package org.o365audit.govern;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One permission of a drive item (graph.md 3.4) as remove-sharing sees it: whether it opens the file to the public
 * (a link of scope anonymous) or to people outside the tenant (a specific-people link or a direct grant naming an
 * external person), and whether it can be deleted on the item (not inherited, not the owner's).
 *
 * <p>External person, a documented heuristic (Microsoft has no field for it): a guest's UPN ({@code #EXT#}), or an
 * e-mail on another domain than the file owner's (the owner is a member of the tenant). An e-mail-invited external
 * appears only once the invitation is redeemed, so one not redeemed yet is not seen.
 */
record SharingPermission(String id, String kind, List<String> roles, List<String> people, boolean inherited) {

    static SharingPermission of(JsonNode p) {
        List<String> people = new ArrayList<>();
        p.path("grantedToIdentitiesV2").forEach(who -> add(people, who.path("user").path("email").asText(null)));
        add(people, p.path("grantedToV2").path("user").path("email").asText(null));
        add(people, p.path("invitation").path("email").asText(null));
        List<String> roles = new ArrayList<>();
        p.path("roles").forEach(r -> roles.add(r.asText()));
        String scope = p.path("link").path("scope").asText(null);
        String kind = scope == null ? "grant" : scope + " " + p.path("link").path("type").asText("") + " link";
        boolean inherited = p.hasNonNull("inheritedFrom") && p.path("inheritedFrom").size() > 0;
        return new SharingPermission(p.path("id").asText(), kind, roles, people, inherited);
    }

    private static void add(List<String> people, String email) {
        if (email != null && !email.isBlank() && !people.contains(email)) {
            people.add(email);
        }
    }

    /** Anonymous, or naming someone outside {@code ownerDomain} (null: only #EXT# counts as outside). */
    boolean opensOutside(String ownerDomain) {
        return kind.startsWith("anonymous ") || externalPeople(ownerDomain).size() > 0;
    }

    List<String> externalPeople(String ownerDomain) {
        if (roles.contains("owner")) {
            return List.of();
        }
        return people.stream().filter(e -> external(e, ownerDomain)).toList();
    }

    static boolean external(String email, String ownerDomain) {
        String e = email.toLowerCase(Locale.ROOT);
        if (e.contains("#ext#")) {
            return true;
        }
        return ownerDomain != null && !e.endsWith("@" + ownerDomain);
    }

    /** e.g. "anonymous edit link 7f3..." or "read grant 2c1... to someone@fabrikam.com". */
    String describe(String ownerDomain) {
        List<String> outside = externalPeople(ownerDomain);
        return kind + " " + id + " (" + String.join(",", roles) + ")" + (outside.isEmpty() ? "" : " to "
                + String.join(", ", outside));
    }

    static String domainOf(String email) {
        if (email == null || !email.contains("@") || email.toLowerCase(Locale.ROOT).contains("#ext#")) {
            return null;
        }
        return email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
