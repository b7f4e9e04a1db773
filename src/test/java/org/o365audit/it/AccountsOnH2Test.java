package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The accounts component on the embedded default database. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:accounts;DB_CLOSE_DELAY=-1")
class AccountsOnH2Test extends AccountsScenarios {
}
