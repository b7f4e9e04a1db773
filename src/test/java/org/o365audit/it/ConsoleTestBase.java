package org.o365audit.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.o365audit.Application;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The collector as an operator meets it: config/application.yaml, Spring Security in front of Hawtio, Jolokia,
 * Prometheus and the connected-tenants page, the built-in simulated tenant collecting over HTTPS, and next to it
 * a configured tenant whose app registration the login endpoint does not know (as when the tenant id, client id
 * or secret was mistyped). The subclasses share one application context.
 */
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.password=" + ConsoleTestBase.PASSWORD,
        "spring.datasource.url=jdbc:h2:mem:browser;DB_CLOSE_DELAY=-1",
        "o365.simulator.mode=always",
        // two hours of demo history instead of seven days: the demo tenant is caught up within seconds
        "o365.simulator.history=2h",
        "o365.sinks.archive.directory=target/console-test/ndjson"})
abstract class ConsoleTestBase {
    static final String USER = "admin";
    static final String PASSWORD = "console-test-7Qx2";
    static final String DEMO_TENANT = "simulated-contoso";
    static final String WRONG_TENANT = "wrong-credentials";
    /** Fixed before the context starts, so that the configured tenant can point at the simulator's endpoints. */
    static final int SIMULATOR_PORT = freePort();

    @LocalServerPort
    int port;

    /** All of the tenant here: Spring Boot binds a list from one property source only. */
    @DynamicPropertySource
    static void tenantWithWrongCredentials(DynamicPropertyRegistry registry) {
        registry.add("o365.simulator.port", () -> SIMULATOR_PORT);
        registry.add("o365.tenants[0].name", () -> WRONG_TENANT);
        // an app registration the simulated login endpoint has never heard of
        registry.add("o365.tenants[0].tenant-id", () -> "9d3f6c2a-71b4-4e0f-8a55-2c1e7b9d4f60");
        registry.add("o365.tenants[0].client-id", () -> "4a8e2f71-0c93-4d6b-b1e5-7f2a9c3d8e14");
        registry.add("o365.tenants[0].client-secret", () -> "not-the-secret");
        registry.add("o365.tenants[0].api-url", () -> "https://localhost:" + SIMULATOR_PORT);
        registry.add("o365.tenants[0].login-url", () -> "https://localhost:" + SIMULATOR_PORT);
        registry.add("o365.tenants[0].content-types", () -> "Audit.Exchange");
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
