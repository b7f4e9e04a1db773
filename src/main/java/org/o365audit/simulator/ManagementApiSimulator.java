package org.o365audit.simulator;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTPS stand-in for Microsoft: the Office 365 Management Activity API and the Entra ID token
 * endpoint of any number of simulated tenants, on 127.0.0.1; also the Power BI admin activity-events
 * API (under {@code /powerbi}) and the Dataverse audit Web API (under {@code /dataverse/{environment}}).
 * {@link #baseUrl()} serves as both the API URL and the login URL. Used by the demo when no real
 * tenant is configured and by the tests.
 */
public final class ManagementApiSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagementApiSimulator.class);
    private static final int THREADS = 32;

    static {
        // The JDK's server writes a response's headers and body apart; with Nagle's algorithm on (its default) the
        // body waits for the client's delayed ACK, about 40 ms per request: every blob would take that long. Read
        // once, when the JDK's server configuration loads, so before the first server of this JVM; a value set on
        // the command line is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Clock clock;
    private final ConcurrentMap<String, SimulatedTenant> tenants = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final HttpsServer server;
    private final String baseUrl;
    private final ServerTls tls;

    private ManagementApiSimulator(int port, Clock clock, ServerTls tls) throws IOException {
        this.clock = clock;
        this.tls = tls;
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        this.baseUrl = "https://localhost:" + server.getAddress().getPort();
        this.executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(executor);
        server.createContext("/", new SimulatorHandler(tenants::get, new ActivityFeedApi(baseUrl, this::tokenOwner),
                new ActivityEventsApi(baseUrl, this::tokenOwner),
                new DataverseAuditApi(baseUrl, this::tokenOwner, this::environmentsNamed),
                new GraphApi(this::tokenOwner, graphResources(), java.util.Map.of("security",
                        new AuditLogQueryApi(graphUrl())))));
        server.start();
        log.info("Management Activity API simulator listening on {}", baseUrl);
    }

    /**
     * Starts on 127.0.0.1 ({@code port} 0 = ephemeral), HTTPS with a certificate made for this start
     * ({@link #certificate()}), with the clock that decides token expiry, listing windows, late blobs and expiry.
     */
    public static ManagementApiSimulator start(int port, Clock clock) {
        return start(port, clock, ServerTls.generate());
    }

    /** As {@link #start(int, Clock)}, presenting the given TLS identity (the tests' fixed localhost one). */
    public static ManagementApiSimulator start(int port, Clock clock, ServerTls tls) {
        try {
            return new ManagementApiSimulator(port, clock, tls);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the simulator on port " + port, e);
        }
    }

    /** {@code https://localhost:<port>}; used as both api-url and login-url. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The certificate this simulator presents; a client trusts it, and nothing else, for {@link #baseUrl()}. */
    public X509Certificate certificate() {
        return tls.certificate();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The tenant with this id, created on first use. */
    public SimulatedTenant tenant(String tenantId) {
        return tenants.computeIfAbsent(tenantId, id -> new SimulatedTenant(id, clock, baseUrl));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        log.info("Management Activity API simulator on {} stopped", baseUrl);
    }

    /** The Graph resources the simulator serves, by the first segment of their path. */
    private java.util.Map<String, GraphApi.Resource> graphResources() {
        java.util.Map<String, GraphApi.Resource> r = new java.util.HashMap<>();
        r.put("auditLogs", new SignInsResource());
        DirectoryDeltaApi directory = new DirectoryDeltaApi(graphUrl());
        r.put("users", new UsersApi(directory));
        r.put("identityProtection", new IdentityProtectionApi());
        r.put("groups", directory);
        AppsApi apps = new AppsApi();
        r.put("servicePrincipals", apps);
        r.put("oauth2PermissionGrants", apps);
        DrivesApi drives = new DrivesApi();
        r.put("shares", drives);
        r.put("drives", drives);
        return r;
    }

    /** The simulator's Microsoft Graph root, for a tenant's graph-url. */
    public String graphUrl() {
        return baseUrl + "/graph";
    }

    private Optional<SimulatedTenant> tokenOwner(String token) {
        return tenants.values().stream().filter(t -> t.credentials().owns(token)).findFirst();
    }

    private List<DataverseEnvironment> environmentsNamed(String name) {
        return tenants.values().stream().flatMap(t -> t.existingDataverse(name).stream()).toList();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "o365-simulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
