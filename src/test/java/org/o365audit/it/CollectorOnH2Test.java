package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The collector's behaviours on the embedded default database. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:collector;DB_CLOSE_DELAY=-1")
class CollectorOnH2Test extends CollectorScenarios {
}
