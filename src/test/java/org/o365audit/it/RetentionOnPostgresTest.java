package org.o365audit.it;

import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Retention on the real PostgreSQL (database test, schema o365_retention). */
class RetentionOnPostgresTest extends RetentionScenarios {
    static {
        Postgres.dropSchema("o365_retention");
    }

    @Override
    DataSource dataSource() {
        return new DriverManagerDataSource(Postgres.URL + "?currentSchema=o365_retention", "postgres", "");
    }

    @Override
    FluentConfiguration flyway(FluentConfiguration flyway) {
        return flyway.schemas("o365_retention").createSchemas(true);
    }
}
