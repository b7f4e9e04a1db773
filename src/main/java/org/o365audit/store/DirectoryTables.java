package org.o365audit.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The tenant's directory as the accounts component keeps it (directory_user, directory_group, directory_member,
 * V9): upserts and deletes of one delta page, and the sweep that ends a full read. Every row written carries the
 * round that saw it, so a full read can tell what disappeared meanwhile without emptying the tables first.
 */
@Component
public class DirectoryTables {
    public record User(String id, String userPrincipalName, String displayName, String mail, String department,
                       String jobTitle, Boolean accountEnabled, Boolean onPremisesSync, String userType, Instant createdAt) {
    }

    /** @param kind microsoft365, security, distribution or mail-enabled-security */
    public record Group(String id, String displayName, String mail, String kind, boolean dynamic, Instant createdAt) {
    }

    /** What the tables hold for a tenant, for the component's status. */
    public record Counts(long users, long groups, long microsoft365Groups, long memberships) {
    }

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final Clock clock;

    public DirectoryTables(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.dialect = SqlDialect.of(dataSource);
        this.clock = clock;
    }

    public void putUser(String tenantId, User u, long round) {
        Timestamp now = Timestamp.from(clock.instant());
        String upnLower = u.userPrincipalName() == null ? null : u.userPrincipalName().toLowerCase(java.util.Locale.ROOT);
        Object[] values = {u.userPrincipalName(), upnLower, u.displayName(), u.mail(), u.department(), u.jobTitle(),
                u.accountEnabled(), u.onPremisesSync(), u.userType(), ts(u.createdAt()), round, now};
        upsert(() -> jdbc.update("UPDATE directory_user SET user_principal_name = ?, upn_lower = ?, display_name = ?, "
                        + "mail = ?, department = ?, job_title = ?, account_enabled = ?, on_premises_sync = ?, user_type = ?, "
                        + "created_at = ?, seen_round = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                        concat(values, tenantId, u.id())),
                () -> dialect.insertIfAbsent(jdbc, "directory_user", "tenant_id, id, user_principal_name, upn_lower, "
                        + "display_name, mail, department, job_title, account_enabled, on_premises_sync, user_type, created_at, "
                        + "seen_round, updated_at", 2, concat(new Object[] {tenantId, u.id()}, values)));
    }

    public void putGroup(String tenantId, Group g, long round) {
        Timestamp now = Timestamp.from(clock.instant());
        Object[] values = {g.displayName(), g.mail(), g.kind(), g.dynamic(), ts(g.createdAt()), round, now};
        upsert(() -> jdbc.update("UPDATE directory_group SET display_name = ?, mail = ?, kind = ?, dynamic = ?, "
                        + "created_at = ?, seen_round = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                        concat(values, tenantId, g.id())),
                () -> dialect.insertIfAbsent(jdbc, "directory_group", "tenant_id, id, display_name, mail, kind, dynamic, "
                        + "created_at, seen_round, updated_at", 2, concat(new Object[] {tenantId, g.id()}, values)));
    }

    /** A group entry that carried only membership changes: seen in this round, its properties as they were. */
    public void sawGroup(String tenantId, String groupId, long round) {
        jdbc.update("UPDATE directory_group SET seen_round = ? WHERE tenant_id = ? AND id = ?", round, tenantId, groupId);
    }

    public void putMember(String tenantId, String groupId, String memberId, String memberType, long round) {
        upsert(() -> jdbc.update("UPDATE directory_member SET member_type = ?, seen_round = ? WHERE tenant_id = ? AND "
                        + "group_id = ? AND member_id = ?", memberType, round, tenantId, groupId, memberId),
                () -> dialect.insertIfAbsent(jdbc, "directory_member", "tenant_id, group_id, member_id, member_type, "
                        + "seen_round", 3, tenantId, groupId, memberId, memberType, round));
    }

    /** A removed user, and the memberships it had. */
    public void removeUser(String tenantId, String id) {
        jdbc.update("DELETE FROM directory_member WHERE tenant_id = ? AND member_id = ?", tenantId, id);
        jdbc.update("DELETE FROM directory_user WHERE tenant_id = ? AND id = ?", tenantId, id);
    }

    /** A removed group, and its memberships. */
    public void removeGroup(String tenantId, String id) {
        jdbc.update("DELETE FROM directory_member WHERE tenant_id = ? AND group_id = ?", tenantId, id);
        jdbc.update("DELETE FROM directory_group WHERE tenant_id = ? AND id = ?", tenantId, id);
    }

    public void removeMember(String tenantId, String groupId, String memberId) {
        jdbc.update("DELETE FROM directory_member WHERE tenant_id = ? AND group_id = ? AND member_id = ?", tenantId,
                groupId, memberId);
    }

    /** End of a full read of users: the users it did not see are gone, with their memberships; returns how many. */
    public int sweepUsers(String tenantId, long round) {
        jdbc.update("DELETE FROM directory_member WHERE tenant_id = ? AND member_id IN (SELECT id FROM directory_user "
                + "WHERE tenant_id = ? AND seen_round < ?)", tenantId, tenantId, round);
        return jdbc.update("DELETE FROM directory_user WHERE tenant_id = ? AND seen_round < ?", tenantId, round);
    }

    /** End of a full read of groups: the groups and memberships it did not see are gone; returns how many groups. */
    public int sweepGroups(String tenantId, long round) {
        jdbc.update("DELETE FROM directory_member WHERE tenant_id = ? AND seen_round < ?", tenantId, round);
        return jdbc.update("DELETE FROM directory_group WHERE tenant_id = ? AND seen_round < ?", tenantId, round);
    }

    public Counts counts(String tenantId) {
        return new Counts(count("directory_user WHERE tenant_id = ?", tenantId),
                count("directory_group WHERE tenant_id = ?", tenantId),
                count("directory_group WHERE tenant_id = ? AND kind = 'microsoft365'", tenantId),
                count("directory_member WHERE tenant_id = ?", tenantId));
    }

    private long count(String fromWhere, String tenantId) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + fromWhere, Long.class, tenantId);
        return n == null ? 0 : n;
    }

    /** Update, else insert, else (another node inserted meanwhile) update: never a duplicate-key error. */
    private static void upsert(java.util.function.IntSupplier update, java.util.function.IntSupplier insert) {
        if (update.getAsInt() == 0 && insert.getAsInt() == 0) {
            update.getAsInt();
        }
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
