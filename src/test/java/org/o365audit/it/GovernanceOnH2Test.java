package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The governance actions on the embedded default database. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:governance;DB_CLOSE_DELAY=-1")
class GovernanceOnH2Test extends GovernanceScenarios {
}
