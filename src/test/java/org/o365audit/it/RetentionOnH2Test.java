package org.o365audit.it;

import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Retention on the embedded H2 (the demo's default). */
class RetentionOnH2Test extends RetentionScenarios {
    @Override
    DataSource dataSource() {
        return new DriverManagerDataSource("jdbc:h2:mem:retention;DB_CLOSE_DELAY=-1", "sa", "");
    }

    @Override
    FluentConfiguration flyway(FluentConfiguration flyway) {
        return flyway;
    }
}
