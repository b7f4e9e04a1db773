package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** Enrichment from the directory and app inventory on the embedded default database. */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:enrich;DB_CLOSE_DELAY=-1",
        "test.sinks.dir=target/enrich-sinks-h2"})
class EnrichmentOnH2Test extends EnrichmentScenarios {
    static {
        SinkFiles.emptyDirectory("enrich-sinks-h2");
    }
}
