package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The sinks reading the embedded H2 store (the demo's default). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:sinks;DB_CLOSE_DELAY=-1",
        "test.sinks.dir=target/sinks-h2"})
class SinksOnH2Test extends SinkScenarios {
    static {
        SinkFiles.emptyDirectory("sinks-h2");
    }
}
