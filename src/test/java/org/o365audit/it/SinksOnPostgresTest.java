package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The sinks reading the store on the real PostgreSQL (schema o365_sinks). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_sinks",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_sinks",
        "spring.flyway.create-schemas=true",
        "test.sinks.dir=target/sinks-pg"})
class SinksOnPostgresTest extends SinkScenarios {
    static {
        Postgres.dropSchema("o365_sinks");
        SinkFiles.emptyDirectory("sinks-pg");
    }
}
