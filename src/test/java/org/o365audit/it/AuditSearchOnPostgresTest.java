package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The audit search on the real PostgreSQL (database test, schema o365_search). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_search",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_search",
        "spring.flyway.create-schemas=true"})
class AuditSearchOnPostgresTest extends AuditSearchScenarios {
    static {
        Postgres.dropSchema("o365_search");
    }
}
