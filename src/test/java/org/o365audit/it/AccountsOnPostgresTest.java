package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The accounts component on the real PostgreSQL (database test, schema o365_accounts). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_accounts",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_accounts",
        "spring.flyway.create-schemas=true"})
class AccountsOnPostgresTest extends AccountsScenarios {
    static {
        Postgres.dropSchema("o365_accounts");
    }
}
