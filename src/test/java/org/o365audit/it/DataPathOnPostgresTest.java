package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The data path's hardening on the real PostgreSQL at 127.0.0.1:5432 (database test, schema o365_datapath). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_datapath",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_datapath",
        "spring.flyway.create-schemas=true"})
class DataPathOnPostgresTest extends DataPathScenarios {
    static {
        Postgres.dropSchema("o365_datapath");
    }
}
