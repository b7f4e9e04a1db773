package org.o365audit.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantComponent;
import org.o365audit.record.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each tenant's {@link Directory}, loaded from the tables the accounts and apps components keep (directory_user,
 * directory_group, directory_member, app_principal). Whether they changed is asked of the database (counts and
 * newest change times, one small query) at most once per check interval per tenant, so a sync on any node of a
 * cluster is seen within that interval, and a reload happens only after a change. A tenant with neither component
 * costs nothing: no query at all.
 */
@Component
public class DirectoryLookup {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLookup.class);
    static final String SEPARATOR = "; ";

    private final JdbcTemplate jdbc;
    private final long checkNanos;
    private final Map<String, Cached> tenants = new ConcurrentHashMap<>();

    public DirectoryLookup(DataSource dataSource,
                           @Value("${o365.directory-check-interval:5s}") Duration checkInterval) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.checkNanos = checkInterval.toNanos();
    }

    /** The tenant's directory as last loaded, reloaded first when its tables changed since the last check. */
    public Directory of(Tenant tenant) {
        boolean users = tenant.has(TenantComponent.ACCOUNTS);
        boolean apps = tenant.has(TenantComponent.APPS);
        if (!users && !apps) {
            return Directory.EMPTY;
        }
        return tenants.computeIfAbsent(tenant.tenantId(), id -> new Cached()).get(tenant.tenantId(), users, apps);
    }

    /** One tenant's directory, its stamp and when the stamp was last asked for. */
    private final class Cached {
        private final ReentrantLock lock = new ReentrantLock();
        private volatile Directory current;
        private volatile long checkedAt;
        private List<Object> stamp;

        Directory get(String tenantId, boolean users, boolean apps) {
            Directory d = current;
            if (d != null && System.nanoTime() - checkedAt < checkNanos) {
                return d;
            }
            // the first load is waited for; later, one thread checks while the others go on with what they have
            if (d == null) {
                lock.lock();
            } else if (!lock.tryLock()) {
                return d;
            }
            try {
                if (current != null && System.nanoTime() - checkedAt < checkNanos) {
                    return current;
                }
                // the stamp is read before the tables: a change while loading shows at the next check
                List<Object> now = stamp(tenantId, users, apps);
                if (current == null || !now.equals(stamp)) {
                    current = load(tenantId, users, apps);
                    stamp = now;
                    LOG.debug("directory of tenant {} loaded: {} users, {} apps", tenantId, current.users(),
                            current.apps());
                }
                checkedAt = System.nanoTime();
                return current;
            } finally {
                lock.unlock();
            }
        }
    }

    /** What changes whenever a sync adds, changes or removes a row the directory is made of. */
    private List<Object> stamp(String tenantId, boolean users, boolean apps) {
        List<Object> stamp = new ArrayList<>(List.of(users, apps));
        if (users) {
            stamp.addAll(jdbc.queryForObject("""
                    SELECT (SELECT COUNT(*) FROM directory_user WHERE tenant_id = ?),
                      (SELECT MAX(updated_at) FROM directory_user WHERE tenant_id = ?),
                      (SELECT COUNT(*) FROM directory_group WHERE tenant_id = ?),
                      (SELECT MAX(updated_at) FROM directory_group WHERE tenant_id = ?),
                      (SELECT COUNT(*) FROM directory_member WHERE tenant_id = ?),
                      (SELECT MAX(seen_round) FROM directory_member WHERE tenant_id = ?)""",
                    DirectoryLookup::row, tenantId, tenantId, tenantId, tenantId, tenantId, tenantId));
        }
        if (apps) {
            stamp.addAll(jdbc.queryForObject("""
                    SELECT (SELECT COUNT(*) FROM app_principal WHERE tenant_id = ?),
                      (SELECT MAX(last_seen) FROM app_principal WHERE tenant_id = ?),
                      (SELECT COUNT(removed_at) FROM app_principal WHERE tenant_id = ?)""",
                    DirectoryLookup::row, tenantId, tenantId, tenantId));
        }
        return stamp;
    }

    private static List<Object> row(ResultSet rs, int i) throws SQLException {
        List<Object> values = new ArrayList<>();
        for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
            values.add(rs.getObject(c));
        }
        return values;
    }

    private Directory load(String tenantId, boolean users, boolean apps) {
        Map<String, DirectoryUser> byUpn = new HashMap<>();
        Map<String, DirectoryUser> byId = new HashMap<>();
        if (users) {
            Map<String, String> groups = groups(tenantId);
            jdbc.query("""
                    SELECT id, upn_lower, user_principal_name, display_name, department, on_premises_sync
                    FROM directory_user WHERE tenant_id = ?""", rs -> {
                String id = rs.getString(1).toLowerCase(Locale.ROOT);
                boolean synced = rs.getBoolean(6);
                Boolean onPremisesSync = rs.wasNull() ? null : synced;
                DirectoryUser u = new DirectoryUser(Texts.column(rs.getString(4), 512), Texts.column(rs.getString(5), 256),
                        groups.get(id), onPremisesSync);
                byId.put(id, u);
                String upn = rs.getString(2) != null ? rs.getString(2) : rs.getString(3);
                if (upn != null) {
                    byUpn.put(upn.toLowerCase(Locale.ROOT), u);
                }
            }, tenantId);
        }
        Map<String, String> appNames = new HashMap<>();
        if (apps) {
            Map<String, Boolean> active = new HashMap<>();
            jdbc.query("SELECT app_id, display_name, removed_at FROM app_principal WHERE tenant_id = ?", rs -> {
                String appId = rs.getString(1).trim().toLowerCase(Locale.ROOT);
                boolean removed = rs.getTimestamp(3) != null;
                // a service principal removed and another one added for the same app: the present one names it
                if (!active.getOrDefault(appId, false)) {
                    appNames.put(appId, Texts.column(rs.getString(2), 512));
                    active.put(appId, !removed);
                }
            }, tenantId);
        }
        return new Directory(byUpn, byId, appNames);
    }

    /**
     * Per member id (lower case), the display names of its Microsoft 365 groups, sorted and joined, cut to
     * audit_event.actor_groups. Users with the same groups share one string.
     */
    private Map<String, String> groups(String tenantId) {
        Map<String, List<String>> names = new HashMap<>();
        jdbc.query("""
                SELECT m.member_id, g.display_name FROM directory_member m
                JOIN directory_group g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
                WHERE m.tenant_id = ? AND g.kind = 'microsoft365' AND g.display_name IS NOT NULL""", rs -> {
            names.computeIfAbsent(rs.getString(1).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(rs.getString(2));
        }, tenantId);
        Map<String, String> shared = new HashMap<>();
        Map<String, String> joined = new HashMap<>();
        names.forEach((member, list) -> {
            list.sort(String.CASE_INSENSITIVE_ORDER.thenComparing(java.util.Comparator.naturalOrder()));
            String text = Texts.column(String.join(SEPARATOR, list), 2000);
            joined.put(member, shared.computeIfAbsent(text, t -> t));
        });
        return joined;
    }
}
