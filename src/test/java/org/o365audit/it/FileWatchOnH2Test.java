package org.o365audit.it;

import org.springframework.test.context.TestPropertySource;

/** The files component on the embedded default database. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:files;DB_CLOSE_DELAY=-1")
class FileWatchOnH2Test extends FileWatchScenarios {
}
