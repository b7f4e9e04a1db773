package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The delayed feeds on the embedded default database. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:delayed;DB_CLOSE_DELAY=-1")
class DelayedFeedsOnH2Test extends DelayedFeedScenarios {
}
