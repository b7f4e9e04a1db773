package org.o365audit.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The machine's PostgreSQL (trust auth, database test). */
final class Postgres {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private Postgres() {
    }

    static void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    static void createSchema(String schema) {
        execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed for this test: " + e.getMessage(), e);
        }
    }
}
