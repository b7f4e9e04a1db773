package org.o365audit.it;

import java.time.Clock;
import java.util.UUID;
import org.o365audit.Application;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.TestTls;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The collector as an operator meets it: config/application.yaml, Spring Security in front of Hawtio, Jolokia,
 * Prometheus and the connected-tenants page, the built-in simulated tenant collecting over HTTPS, and next to it
 * a configured tenant whose client secret is wrong (mistyped, or the secret's ID pasted instead of its value). Each
 * subclass starts its own application and closes it after: test contexts started in between (the platform MBean
 * server is one per JVM) would otherwise have replaced its o365audit MBeans, and removed them when they closed.
 */
// Spring Boot's tests switch metrics export off, and with it /actuator/prometheus; production has it
@AutoConfigureObservability
@org.springframework.test.annotation.DirtiesContext(classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.password=" + ConsoleTestBase.PASSWORD,
        "spring.datasource.url=jdbc:h2:mem:browser;DB_CLOSE_DELAY=-1",
        "o365.simulator.mode=always",
        // two hours of demo history instead of seven days: the demo tenant has caught up within seconds
        "o365.simulator.history=2h",
        "o365.sinks.archive.directory=target/console-test/ndjson"})
abstract class ConsoleTestBase {
    static final String USER = "admin";
    static final String PASSWORD = "console-test-7Qx2";
    static final String DEMO_TENANT = "simulated-contoso";
    static final String WRONG_TENANT = "wrong-credentials";
    static final String WRONG_TENANT_ID = "9d3f6c2a-71b4-4e0f-8a55-2c1e7b9d4f60";
    static final String WRONG_CLIENT_ID = "4a8e2f71-0c93-4d6b-b1e5-7f2a9c3d8e14";

    /**
     * Microsoft's endpoints for the tenant with the wrong secret: they know its app registration, with another
     * secret, so the token endpoint answers invalid_client (AADSTS7000215) as Entra ID does. An unknown tenant
     * would get invalid_request (AADSTS90002), whose advice is about the tenant id, not the credentials.
     */
    static final ManagementApiSimulator MICROSOFT = ManagementApiSimulator.start(0, Clock.systemUTC(), TestTls.LOCALHOST);

    static {
        MICROSOFT.tenant(WRONG_TENANT_ID).registerSecret(WRONG_CLIENT_ID, UUID.randomUUID().toString());
    }

    @LocalServerPort
    int port;

    /** All of the tenant here: Spring Boot binds a list from one property source only. */
    @DynamicPropertySource
    static void tenantWithWrongSecret(DynamicPropertyRegistry registry) {
        registry.add("o365.tenants[0].name", () -> WRONG_TENANT);
        registry.add("o365.tenants[0].tenant-id", () -> WRONG_TENANT_ID);
        registry.add("o365.tenants[0].client-id", () -> WRONG_CLIENT_ID);
        registry.add("o365.tenants[0].client-secret", () -> "not-the-secret");
        registry.add("o365.tenants[0].api-url", MICROSOFT::baseUrl);
        registry.add("o365.tenants[0].login-url", MICROSOFT::baseUrl);
        registry.add("o365.tenants[0].content-types", () -> "Audit.Exchange");
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }
}
