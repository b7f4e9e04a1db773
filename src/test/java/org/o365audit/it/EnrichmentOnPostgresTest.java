package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** Enrichment from the directory and app inventory on the real PostgreSQL (database test, schema o365_enrich). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_enrich",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_enrich",
        "spring.flyway.create-schemas=true",
        "test.sinks.dir=target/enrich-sinks-pg"})
class EnrichmentOnPostgresTest extends EnrichmentScenarios {
    static {
        Postgres.dropSchema("o365_enrich");
        SinkFiles.emptyDirectory("enrich-sinks-pg");
    }
}
