package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The apps component on the embedded default database. */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:apps;DB_CLOSE_DELAY=-1",
        "test.sinks.dir=target/apps-sinks-h2"})
class AppInventoryOnH2Test extends AppInventoryScenarios {
    static {
        SinkFiles.emptyDirectory("apps-sinks-h2");
    }
}
