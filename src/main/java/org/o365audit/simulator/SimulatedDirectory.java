package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The users, groups and memberships of a simulated tenant's directory, and their change history for Graph delta
 * queries (users/delta, groups/delta, served by {@link DirectoryDeltaApi}). Every change gets the next sequence
 * number; a delta round lists what changed after the round it continues. Removals are soft deletes (reason
 * {@code changed}); a removed user silently leaves its groups, as Graph lists only live members (the removal of the
 * membership itself is not reported, graph.md 7.2). Thread-safe; tests change it while the collector reads it.
 */
public final class SimulatedDirectory {
    /** The kinds of group Graph distinguishes by groupTypes, securityEnabled and mailEnabled. */
    public enum GroupKind { MICROSOFT365, SECURITY, DISTRIBUTION, MAIL_ENABLED_SECURITY }

    record User(String id, ObjectNode properties, long seq, boolean removed) {
    }

    record Group(String id, ObjectNode properties, long seq, boolean removed) {
    }

    /** One membership change: the member's latest state as of {@code seq}. */
    record Membership(String memberId, String type, long seq, boolean removed) {
    }

    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Map<String, Membership>> members = new LinkedHashMap<>();
    private final DeltaTokens tokens = new DeltaTokens();
    private final Set<String> privileged = new java.util.HashSet<>();
    private final Map<String, Integer> revocations = new java.util.HashMap<>();
    private long seq;
    private int pageSize = 100;
    private int memberSlice = 20;
    private volatile Duration answerDelay = Duration.ZERO;

    // --- what tests set up ---

    public synchronized void addUser(String id, String upn, String displayName, String department, boolean onPremisesSync) {
        ObjectNode u = Json.object();
        u.put("userPrincipalName", upn);
        u.put("displayName", displayName);
        u.put("mail", upn);
        u.put("department", department);
        u.put("jobTitle", (String) null);
        u.put("accountEnabled", true);
        u.put("onPremisesSyncEnabled", onPremisesSync ? Boolean.TRUE : null);
        u.put("userType", upn.contains("#EXT#") ? "Guest" : "Member");
        u.put("createdDateTime", Instant.parse("2024-01-15T08:00:00Z").toString());
        users.put(id, new User(id, u, ++seq, false));
    }

    /** Changes one property of a user (a change Graph reports in the next delta round). */
    public synchronized void updateUser(String id, String property, String value) {
        User u = live(users.get(id), id);
        ObjectNode p = u.properties().deepCopy();
        p.put(property, value);
        users.put(id, new User(id, p, ++seq, false));
    }

    /**
     * The user holds a privileged admin role: a sensitive change to it (accountEnabled, revoking its sessions) by an
     * app without a higher privileged Entra role answers 403 Authorization_RequestDenied (graph.md 5.1).
     */
    public synchronized void makePrivileged(String id) {
        live(users.get(id), id);
        privileged.add(id);
    }

    /** accountEnabled as Graph holds it now. */
    public synchronized boolean accountEnabled(String id) {
        return live(users.get(id), id).properties().path("accountEnabled").asBoolean();
    }

    /** How many times the user's sign-in sessions were revoked (revokeSignInSessions). */
    public synchronized int sessionsRevoked(String id) {
        return revocations.getOrDefault(id, 0);
    }

    /** A soft delete: the next round lists the user as {@code {"id", "@removed": {"reason": "changed"}}}. */
    public synchronized void removeUser(String id) {
        User u = live(users.get(id), id);
        users.put(id, new User(id, u.properties(), ++seq, true));
    }

    public synchronized void addGroup(String id, String displayName, GroupKind kind) {
        ObjectNode g = Json.object();
        g.put("displayName", displayName);
        boolean mail = kind != GroupKind.SECURITY;
        g.put("mail", mail ? displayName.replaceAll("\\W", "").toLowerCase() + "@contoso.com" : null);
        var types = g.putArray("groupTypes");
        if (kind == GroupKind.MICROSOFT365) {
            types.add("Unified");
        }
        g.put("securityEnabled", kind == GroupKind.SECURITY || kind == GroupKind.MAIL_ENABLED_SECURITY);
        g.put("mailEnabled", mail);
        g.put("createdDateTime", Instant.parse("2024-02-01T09:30:00Z").toString());
        groups.put(id, new Group(id, g, ++seq, false));
        members.putIfAbsent(id, new LinkedHashMap<>());
    }

    /** Adds {@code DynamicMembership} to the group's groupTypes. */
    public synchronized void makeDynamic(String groupId) {
        Group g = live(groups.get(groupId), groupId);
        ObjectNode p = g.properties().deepCopy();
        p.withArray("groupTypes").add("DynamicMembership");
        groups.put(groupId, new Group(groupId, p, ++seq, false));
    }

    public synchronized void removeGroup(String id) {
        Group g = live(groups.get(id), id);
        groups.put(id, new Group(id, g.properties(), ++seq, true));
    }

    public synchronized void addMember(String groupId, String userId) {
        live(groups.get(groupId), groupId);
        members.get(groupId).put(userId, new Membership(userId, "#microsoft.graph.user", ++seq, false));
    }

    public synchronized void removeMember(String groupId, String userId) {
        Membership m = members.get(groupId).get(userId);
        if (m == null || m.removed()) {
            throw new IllegalArgumentException(userId + " is not a member of " + groupId);
        }
        members.get(groupId).put(userId, new Membership(userId, m.type(), ++seq, true));
    }

    /**
     * Every delta and skip token issued so far is forgotten, as when a delta link is older than 7 days: using one
     * answers 410 Gone with {@code syncStateNotFound} and a Location to start over (graph.md 2.2).
     */
    public synchronized void expireDeltaLinks() {
        tokens.expireAll();
    }

    /** Objects per delta page; default 100. */
    public synchronized void pageSize(int n) {
        pageSize = n;
    }

    /** At most this many members of one group per page entry; a bigger group repeats across entries (default 20). */
    public synchronized void memberSlice(int n) {
        memberSlice = n;
    }

    /** Every delta page is answered only after this delay (slow service, for kills in the middle of a round). */
    public void answerDelay(Duration d) {
        answerDelay = d;
    }

    // --- what the Graph handler reads ---

    Duration answerDelay() {
        return answerDelay;
    }

    DeltaTokens tokens() {
        return tokens;
    }

    synchronized int pageSizeNow() {
        return pageSize;
    }

    synchronized long seq() {
        return seq;
    }

    /** A live user by object id or userPrincipalName (case-insensitive), as {@code GET users/{id | upn}} finds it. */
    synchronized java.util.Optional<String> findUser(String idOrUpn) {
        User byId = users.get(idOrUpn);
        if (byId != null) {
            return byId.removed() ? java.util.Optional.empty() : java.util.Optional.of(byId.id());
        }
        return users.values().stream().filter(u -> !u.removed()
                && u.properties().path("userPrincipalName").asText().equalsIgnoreCase(idOrUpn)).map(User::id).findFirst();
    }

    /** The user's properties with its id, those selected (Graph's default set without $select). */
    synchronized ObjectNode userView(String id, Set<String> select) {
        return selected(id, live(users.get(id), id).properties(), select == null ? USER_DEFAULT : select);
    }

    synchronized boolean privileged(String id) {
        return privileged.contains(id);
    }

    /** An update of the user's accountEnabled (a change the next users/delta round reports). */
    synchronized void setAccountEnabled(String id, boolean enabled) {
        User u = live(users.get(id), id);
        ObjectNode p = u.properties().deepCopy();
        p.put("accountEnabled", enabled);
        users.put(id, new User(id, p, ++seq, false));
    }

    synchronized void revokeSessions(String id) {
        live(users.get(id), id);
        revocations.merge(id, 1, Integer::sum);
    }

    /** GET users/{id} without $select: the documented default set (businessPhones ... userPrincipalName, id). */
    private static final Set<String> USER_DEFAULT = Set.of("displayName", "givenName", "jobTitle", "mail",
            "userPrincipalName", "surname", "officeLocation", "preferredLanguage", "mobilePhone", "businessPhones");

    /** Users changed after {@code since} (all live users for 0), oldest change first. */
    synchronized List<ObjectNode> userChanges(long since, Set<String> select) {
        List<ObjectNode> out = new ArrayList<>();
        users.values().stream().filter(u -> u.seq() > since && !(since == 0 && u.removed()))
                .sorted((a, b) -> Long.compare(a.seq(), b.seq()))
                .forEach(u -> out.add(u.removed() ? removed(u.id(), "changed") : selected(u.id(), u.properties(), select)));
        return out;
    }

    /**
     * Groups changed after {@code since} (properties or members), each with {@code members@delta} when members are
     * selected; a group with more members than the slice repeats with the next slice.
     */
    synchronized List<ObjectNode> groupChanges(long since, Set<String> select) {
        List<ObjectNode> out = new ArrayList<>();
        boolean withMembers = select != null && select.contains("members");
        for (Group g : groups.values()) {
            List<Membership> changed = members.get(g.id()).values().stream()
                    .filter(m -> m.seq() > since && !(since == 0 && m.removed()) && livesOrLeft(m)).toList();
            boolean groupChanged = g.seq() > since && !(since == 0 && g.removed());
            if (g.removed() && groupChanged) {
                out.add(removed(g.id(), "changed"));
                continue;
            }
            if (g.removed() || (!groupChanged && (changed.isEmpty() || !withMembers))) {
                continue;
            }
            List<List<Membership>> slices = new ArrayList<>();
            for (int i = 0; i < changed.size(); i += memberSlice) {
                slices.add(changed.subList(i, Math.min(changed.size(), i + memberSlice)));
            }
            if (slices.isEmpty() || !withMembers) {
                slices = List.of(List.of());
            }
            for (List<Membership> slice : slices) {
                ObjectNode entry = selected(g.id(), g.properties(), select);
                if (withMembers && !slice.isEmpty()) {
                    var delta = entry.putArray("members@delta");
                    for (Membership m : slice) {
                        ObjectNode n = delta.addObject();
                        n.put("@odata.type", m.type());
                        n.put("id", m.memberId());
                        if (m.removed()) {
                            n.putObject("@removed").put("reason", "deleted");
                        }
                    }
                }
                out.add(entry);
            }
        }
        return out;
    }

    /** A member that is a removed user is no longer listed (Graph lists live members only). */
    private boolean livesOrLeft(Membership m) {
        User u = users.get(m.memberId());
        return m.removed() || u == null || !u.removed();
    }

    private static ObjectNode selected(String id, ObjectNode properties, Set<String> select) {
        ObjectNode n = Json.object();
        n.put("id", id);
        properties.fields().forEachRemaining(f -> {
            if (select == null ? DEFAULT.contains(f.getKey()) : select.contains(f.getKey())) {
                n.set(f.getKey(), f.getValue());
            }
        });
        return n;
    }

    /** What Graph returns without $select: a small default set (graph.md 2.1). */
    private static final Set<String> DEFAULT = Set.of("displayName", "userPrincipalName", "mail", "jobTitle",
            "groupTypes", "securityEnabled", "mailEnabled");

    private static ObjectNode removed(String id, String reason) {
        ObjectNode n = Json.object();
        n.put("id", id);
        n.putObject("@removed").put("reason", reason);
        return n;
    }

    private static <T> T live(T entry, String id) {
        if (entry == null || (entry instanceof User u && u.removed()) || (entry instanceof Group g && g.removed())) {
            throw new IllegalArgumentException("no such directory object: " + id);
        }
        return entry;
    }
}
