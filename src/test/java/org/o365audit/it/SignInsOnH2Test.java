package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** Sign-ins on the embedded default database. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:signins;DB_CLOSE_DELAY=-1")
class SignInsOnH2Test extends SignInScenarios {
}
