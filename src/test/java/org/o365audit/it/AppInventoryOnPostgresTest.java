package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The apps component on the real PostgreSQL (database test, schema o365_apps). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_apps",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_apps",
        "spring.flyway.create-schemas=true",
        "test.sinks.dir=target/apps-sinks-pg"})
class AppInventoryOnPostgresTest extends AppInventoryScenarios {
    static {
        Postgres.dropSchema("o365_apps");
        SinkFiles.emptyDirectory("apps-sinks-pg");
    }
}
