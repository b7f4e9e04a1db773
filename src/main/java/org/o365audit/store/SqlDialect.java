package org.o365audit.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The two databases we support differ only in how records are inserted at most once (PostgreSQL takes a whole
 * batch in one statement) and how JSON is typed.
 */
public enum SqlDialect {
    POSTGRESQL("""
            INSERT INTO audit_event (tenant_id, id, tenant_name, content_type, content_id, creation_time, collected_at,
              lag_seconds, workload, record_type, record_type_name, operation, user_id, client_ip, app, raw, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
            ON CONFLICT (tenant_id, id) DO NOTHING""", false, true),
    H2("""
            INSERT INTO audit_event (tenant_id, id, tenant_name, content_type, content_id, creation_time, collected_at,
              lag_seconds, workload, record_type, record_type_name, operation, user_id, client_ip, app, raw, source)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM DUAL
            WHERE NOT EXISTS (SELECT 1 FROM audit_event WHERE tenant_id = ? AND id = ?)""", true, false);

    /** Flyway placeholders for the column types that differ: the raw record, long text, and bytes (Quartz's). */
    public Map<String, String> migrationPlaceholders() {
        return this == POSTGRESQL ? Map.of("json_type", "JSONB", "text_type", "TEXT", "blob_type", "BYTEA")
                : Map.of("json_type", "CLOB", "text_type", "CLOB", "blob_type", "BLOB");
    }

    private final String insertEvent;
    private final boolean repeatsKey;
    private final boolean insertsArrays;

    SqlDialect(String insertEvent, boolean repeatsKey, boolean insertsArrays) {
        this.insertEvent = insertEvent;
        this.repeatsKey = repeatsKey;
        this.insertsArrays = insertsArrays;
    }

    /** INSERT that stores a record unless (tenant_id, id) is already there; affects 1 or 0 rows. */
    public String insertEvent() {
        return insertEvent;
    }

    /** True when the key is bound a second time after the 17 column values. */
    public boolean repeatsKey() {
        return repeatsKey;
    }

    /** True when a batch goes in one statement of arrays ({@link EventArrayInsert}) rather than a JDBC batch. */
    public boolean insertsArrays() {
        return insertsArrays;
    }

    public static SqlDialect of(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase();
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            if (product.contains("h2")) {
                return H2;
            }
            throw new IllegalStateException("unsupported database '" + product + "': use PostgreSQL or H2");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }
}
