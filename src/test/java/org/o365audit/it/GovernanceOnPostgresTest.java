package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The governance actions on the real PostgreSQL (database test, schema o365_governance). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_governance",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_governance",
        "spring.flyway.create-schemas=true"})
class GovernanceOnPostgresTest extends GovernanceScenarios {
    static {
        Postgres.dropSchema("o365_governance");
    }
}
