package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The audit search on the embedded default database. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:search;DB_CLOSE_DELAY=-1")
class AuditSearchOnH2Test extends AuditSearchScenarios {
}
