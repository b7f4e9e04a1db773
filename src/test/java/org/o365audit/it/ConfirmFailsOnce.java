package org.o365audit.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real database failure at one chosen moment: a trigger on sink_position makes the database refuse, once,
 * the UPDATE that confirms a sink's batch after the destination took (or a sink set aside) every record of it,
 * as a connection dropped or a kill -9 right then would. PostgreSQL runs it as PL/pgSQL (a sequence keeps
 * "once" across the rolled-back statement), H2 as {@link H2Trigger}.
 */
final class ConfirmFailsOnce implements AutoCloseable {
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final AtomicBoolean FIRED = new AtomicBoolean();
    private static volatile String sinkName;

    private final JdbcTemplate jdbc;
    private final boolean postgres;

    private ConfirmFailsOnce(JdbcTemplate jdbc, String sink) {
        this.jdbc = jdbc;
        this.postgres = jdbc.execute((Connection c) -> c.getMetaData().getDatabaseProductName())
                .toLowerCase().contains("postgres");
        sinkName = sink;
        FIRED.set(false);
        ARMED.set(true);
        if (postgres) {
            jdbc.execute("DROP SEQUENCE IF EXISTS test_confirm_fault");
            jdbc.execute("CREATE SEQUENCE test_confirm_fault");
            jdbc.execute("""
                    CREATE OR REPLACE FUNCTION test_confirm_fault() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF OLD.sink = '%s' AND OLD.pending_batch IS NOT NULL AND NEW.pending_batch IS NULL
                         AND OLD.pending_done IS NOT NULL AND OLD.pending_done >= OLD.pending_count THEN
                        IF nextval('test_confirm_fault') = 1 THEN
                          RAISE EXCEPTION 'test: the database fails this confirm once';
                        END IF;
                      END IF;
                      RETURN NEW;
                    END $$""".formatted(sink.replace("'", "''")));
            jdbc.execute("CREATE TRIGGER test_confirm_fault BEFORE UPDATE ON sink_position FOR EACH ROW"
                    + " EXECUTE FUNCTION test_confirm_fault()");
        } else {
            jdbc.execute("CREATE TRIGGER test_confirm_fault BEFORE UPDATE ON sink_position FOR EACH ROW CALL '"
                    + H2Trigger.class.getName() + "'");
        }
    }

    /** Arms the fault for the sink's next confirm of a batch whose every record was taken or set aside. */
    static ConfirmFailsOnce arm(JdbcTemplate jdbc, String sink) {
        return new ConfirmFailsOnce(jdbc, sink);
    }

    /** Whether the database has refused the confirm. */
    boolean fired() {
        if (postgres) {
            return Boolean.TRUE.equals(jdbc.queryForObject("SELECT is_called FROM test_confirm_fault", Boolean.class));
        }
        return FIRED.get();
    }

    @Override
    public void close() {
        ARMED.set(false);
        jdbc.execute("DROP TRIGGER IF EXISTS test_confirm_fault" + (postgres ? " ON sink_position" : ""));
        if (postgres) {
            jdbc.execute("DROP FUNCTION IF EXISTS test_confirm_fault()");
            jdbc.execute("DROP SEQUENCE IF EXISTS test_confirm_fault");
        }
    }

    /** The H2 side: H2 calls it for each updated row of sink_position. */
    public static final class H2Trigger implements org.h2.api.Trigger {
        private final Map<String, Integer> column = new HashMap<>();

        @Override
        public void init(Connection conn, String schema, String trigger, String table, boolean before, int type)
                throws SQLException {
            try (ResultSet rs = conn.getMetaData().getColumns(null, schema, table, null)) {
                while (rs.next()) {
                    column.put(rs.getString("COLUMN_NAME").toLowerCase(), rs.getInt("ORDINAL_POSITION") - 1);
                }
            }
        }

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            Object done = oldRow[column.get("pending_done")];
            Object count = oldRow[column.get("pending_count")];
            boolean confirmsAllTaken = sinkName.equals(oldRow[column.get("sink")])
                    && oldRow[column.get("pending_batch")] != null && newRow[column.get("pending_batch")] == null
                    && done != null && count != null && ((Number) done).intValue() >= ((Number) count).intValue();
            if (confirmsAllTaken && ARMED.compareAndSet(true, false)) {
                FIRED.set(true);
                throw new SQLException("test: the database fails this confirm once");
            }
        }
    }
}
