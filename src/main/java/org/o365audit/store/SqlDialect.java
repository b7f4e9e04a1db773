package org.o365audit.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The two databases we support differ only in how records are inserted at most once (PostgreSQL takes a whole
 * batch in one statement) and how JSON is typed.
 */
public enum SqlDialect {
    POSTGRESQL("""
            INSERT INTO audit_event (tenant_id, id, tenant_name, content_type, content_id, creation_time, collected_at,
              lag_seconds, workload, record_type, record_type_name, operation, user_id, client_ip, app, raw, source,
              actor_display_name, actor_department, actor_groups, actor_on_premises_sync, actor_app_id, actor_app_name)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant_id, id) DO NOTHING""", false, true),
    H2("""
            INSERT INTO audit_event (tenant_id, id, tenant_name, content_type, content_id, creation_time, collected_at,
              lag_seconds, workload, record_type, record_type_name, operation, user_id, client_ip, app, raw, source,
              actor_display_name, actor_department, actor_groups, actor_on_premises_sync, actor_app_id, actor_app_name)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM DUAL
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

    /** True when the key is bound a second time after the 23 column values. */
    public boolean repeatsKey() {
        return repeatsKey;
    }

    /** True when a batch goes in one statement of arrays ({@link EventArrayInsert}) rather than a JDBC batch. */
    public boolean insertsArrays() {
        return insertsArrays;
    }

    /**
     * Inserts a row unless its key is taken; returns 1 or 0, never a duplicate-key error, so it is safe inside a
     * transaction (in PostgreSQL a failed statement aborts it). The key is the first {@code keys} columns. On
     * PostgreSQL, a concurrent uncommitted insert of the same key makes it wait, then answer 0 if that one
     * committed: two nodes racing on a first insert get one row, and the loser knows it lost.
     */
    public int insertIfAbsent(JdbcTemplate jdbc, String table, String columns, int keys, Object... values) {
        String[] cols = columns.split(",\\s*");
        String marks = String.join(", ", Collections.nCopies(cols.length, "?"));
        if (this == POSTGRESQL) {
            return jdbc.update("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ") ON CONFLICT ("
                    + String.join(", ", Arrays.copyOf(cols, keys)) + ") DO NOTHING", values);
        }
        // H2 is one process: the key check and the insert need no more than the statement itself
        String where = Arrays.stream(cols, 0, keys).map(c -> c + " = ?").collect(Collectors.joining(" AND "));
        Object[] args = Arrays.copyOf(values, values.length + keys);
        System.arraycopy(values, 0, args, values.length, keys);
        return jdbc.update("INSERT INTO " + table + " (" + columns + ") SELECT " + marks + " FROM DUAL WHERE NOT EXISTS ("
                + "SELECT 1 FROM " + table + " WHERE " + where + ")", args);
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
