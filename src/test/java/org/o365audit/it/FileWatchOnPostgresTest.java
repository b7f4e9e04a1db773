package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The files component on the real PostgreSQL (database test, schema o365_files). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_files",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_files",
        "spring.flyway.create-schemas=true"})
class FileWatchOnPostgresTest extends FileWatchScenarios {
    static {
        Postgres.dropSchema("o365_files");
    }
}
