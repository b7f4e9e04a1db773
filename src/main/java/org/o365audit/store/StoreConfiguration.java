package org.o365audit.store;

import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class StoreConfiguration {
    /** One migration for both databases: the few column types that differ are placeholders. */
    @Bean
    public FlywayConfigurationCustomizer dialectPlaceholders(DataSource dataSource) {
        return flyway -> flyway.placeholders(SqlDialect.of(dataSource).migrationPlaceholders());
    }
}
