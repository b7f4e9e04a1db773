package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The collector's behaviours on the real PostgreSQL at 127.0.0.1:5432 (database test, schema o365_scenarios). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_scenarios",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_scenarios",
        "spring.flyway.create-schemas=true",
        "spring.flyway.clean-disabled=false",
        "spring.flyway.clean-on-validation-error=false"})
class CollectorOnPostgresTest extends CollectorScenarios {
    static {
        Postgres.dropSchema("o365_scenarios");
    }
}
