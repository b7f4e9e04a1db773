package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The delayed feeds on the real PostgreSQL (database test, schema o365_delayed). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_delayed",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_delayed",
        "spring.flyway.create-schemas=true"})
class DelayedFeedsOnPostgresTest extends DelayedFeedScenarios {
    static {
        Postgres.dropSchema("o365_delayed");
    }
}
