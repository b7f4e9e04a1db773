package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** Sign-ins on the real PostgreSQL (database test, schema o365_signins). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_signins",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_signins",
        "spring.flyway.create-schemas=true"})
class SignInsOnPostgresTest extends SignInScenarios {
    static {
        Postgres.dropSchema("o365_signins");
    }
}
