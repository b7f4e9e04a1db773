package org.o365audit.graph;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.o365audit.record.Texts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The stored inventory of a tenant's third-party apps (app_principal) and whether its baseline was taken. */
@Component
public class AppPrincipals {
    private final JdbcTemplate jdbc;

    public AppPrincipals(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** An app as stored: removedAt set when it was gone at a later run. */
    public record Stored(String id, PermissionSet permissions, Instant permissionsChangedAt, Instant firstSeen,
            Instant removedAt) {
    }

    /** True once the tenant's first inventory was recorded; locks the tenant's state row till the commit. */
    public boolean baselineTaken(String tenantId) {
        return !jdbc.queryForList("SELECT tenant_id FROM app_inventory_state WHERE tenant_id = ? FOR UPDATE",
                String.class, tenantId).isEmpty();
    }

    public void ran(String tenantId, Instant at, int apps, int grants) {
        if (jdbc.update("UPDATE app_inventory_state SET last_run_at = ?, apps = ?, grants = ? WHERE tenant_id = ?",
                Timestamp.from(at), apps, grants, tenantId) == 0) {
            jdbc.update("INSERT INTO app_inventory_state (tenant_id, baseline_at, last_run_at, apps, grants)"
                    + " VALUES (?, ?, ?, ?, ?)", tenantId, Timestamp.from(at), Timestamp.from(at), apps, grants);
        }
    }

    public Map<String, Stored> of(String tenantId) {
        Map<String, Stored> out = new HashMap<>();
        jdbc.query("SELECT id, permissions, permissions_changed_at, first_seen, removed_at FROM app_principal"
                + " WHERE tenant_id = ?", rs -> {
                    Stored s = new Stored(rs.getString(1), PermissionSet.parse(rs.getString(2)), instant(rs, 3),
                            instant(rs, 4), instant(rs, 5));
                    out.put(s.id(), s);
                }, tenantId);
        return out;
    }

    /** The app as seen now; {@code changedAt} is when its permission set last changed. */
    public void seen(String tenantId, ThirdPartyApp app, Instant now, Instant changedAt, boolean known) {
        Object[] values = {app.appId(), Texts.column(app.displayName(), 512), Texts.column(app.publisherName(), 512),
                Texts.column(app.verifiedPublisher(), 512), app.ownerTenantId(), app.permissions().text(),
                Timestamp.from(changedAt), Timestamp.from(now)};
        if (known) {
            jdbc.update("UPDATE app_principal SET app_id = ?, display_name = ?, publisher_name = ?, verified_publisher = ?,"
                    + " owner_tenant_id = ?, permissions = ?, permissions_changed_at = ?, last_seen = ?, removed_at = NULL"
                    + " WHERE tenant_id = ? AND id = ?", concat(values, tenantId, app.id()));
        } else {
            jdbc.update("INSERT INTO app_principal (app_id, display_name, publisher_name, verified_publisher,"
                    + " owner_tenant_id, permissions, permissions_changed_at, last_seen, tenant_id, id, first_seen)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", concat(values, tenantId, app.id(), Timestamp.from(now)));
        }
    }

    public void removed(String tenantId, List<String> ids, Instant now) {
        for (String id : ids) {
            jdbc.update("UPDATE app_principal SET removed_at = ? WHERE tenant_id = ? AND id = ?", Timestamp.from(now),
                    tenantId, id);
        }
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
