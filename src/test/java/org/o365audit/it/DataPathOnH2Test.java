package org.o365audit.it;

/** The data path's hardening on the embedded H2 (the same context as {@link CollectorOnH2Test}). */
@org.springframework.test.context.TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:collector;DB_CLOSE_DELAY=-1")
class DataPathOnH2Test extends DataPathScenarios {
}
