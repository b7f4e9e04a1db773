package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o365audit.config.O365Properties;
import org.o365audit.it.receivers.ReceiverTls;
import org.o365audit.it.receivers.SelfSignedCertificate;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * A webhook, HEC or _bulk sink's HTTP client as camel-http uses it (the production component settings, the client
 * given as httpClientConfigurer): trust from the sink's SSL bundle only, host names checked, the credentials added
 * for the sink's own host only and never as a message header, HttpClient's own retries still off.
 */
class SinkHttpClientTest {
    private static final SinkHttpConfiguration.Timeouts TIMEOUTS =
            new SinkHttpConfiguration.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));

    @TempDir
    static Path dir;
    private static SelfSignedCertificate localhost;
    private static SelfSignedCertificate elsewhere;

    private final O365Properties props = new O365Properties();
    private final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
    private final List<Receiver> receivers = new CopyOnWriteArrayList<>();
    private CamelContext camel;

    @BeforeAll
    static void certificates() {
        localhost = SelfSignedCertificate.make(dir.resolve("localhost"), "localhost", "DNS:localhost,IP:127.0.0.1");
        elsewhere = SelfSignedCertificate.make(dir.resolve("elsewhere"), "elsewhere.example", "DNS:elsewhere.example");
    }

    @BeforeEach
    void start() {
        bundles.registerBundle("receiver-pem", SslBundle.of(new PemSslStoreBundle(null,
                PemSslStoreDetails.forCertificate("file:" + localhost.pem()))));
        bundles.registerBundle("receiver-p12", SslBundle.of(new JksSslStoreBundle(null,
                new JksSslStoreDetails("PKCS12", null, "file:" + localhost.trustStore("trust-pw"), "trust-pw"))));
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("https", SinkHttpConfiguration.configure(new HttpComponent(), TIMEOUTS));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        receivers.forEach(r -> r.server.stop(0));
    }

    @Test
    void trustsAReceiverOnlyThroughTheSinksSslBundle() {
        Receiver r = receiver(localhost.serverContext(), 200);
        sink("hook", Map.of("url", r.url()));

        Exchange untrusted = post(client("hook", r.url(), "", ""), r.url());
        assertThat(untrusted.getException()).as("the JVM's trust store does not have the receiver's certificate")
                .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
        for (String bundle : List.of("receiver-pem", "receiver-p12")) {
            Exchange trusted = post(client("hook", r.url(), bundle, ""), r.url());
            assertThat(trusted.getException()).as("through %s", bundle).isNull();
            assertThat(trusted.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        }
        assertThat(r.requests).hasSize(2);
    }

    @Test
    void refusesACertificateThatDoesNotNameTheHost() {
        bundles.registerBundle("elsewhere", SslBundle.of(new PemSslStoreBundle(null,
                PemSslStoreDetails.forCertificate("file:" + elsewhere.pem()))));
        Receiver r = receiver(elsewhere.serverContext(), 200);
        sink("hook", Map.of("url", r.url()));

        Exchange ex = post(client("hook", r.url(), "elsewhere", ""), r.url());
        assertThat(ex.getException()).as("trusted chain, but issued for elsewhere.example, not 127.0.0.1")
                .isInstanceOf(SSLException.class).hasMessageContaining("127.0.0.1");
        assertThat(r.requests).isEmpty();
    }

    @Test
    void addsTheCredentialsOnlyForTheSinksOwnHostAndNeverAsAMessageHeader() throws Exception {
        Receiver own = receiver(localhost.serverContext(), 200);
        Receiver other = receiver(localhost.serverContext(), 200);
        String withUser = own.url().replace("https://", "https://writer:p%40ss-in-url@");
        sink("elastic", Map.of("url", withUser));
        sink("splunk", Map.of("url", own.url(), "token", "hec-token-in-config"));
        sink("hook", Map.of("url", own.url(), "authorization", "Bearer hook-token-in-config"));

        SinkHttpClient elastic = client("elastic", SinkSettings.withoutUserInfo(withUser), "receiver-pem", "");
        Exchange ex = post(elastic, SinkSettings.withoutUserInfo(withUser));
        assertThat(ex.getException()).isNull();
        assertThat(own.requests).containsExactly("Basic " + Base64.getEncoder().encodeToString(
                "writer:p@ss-in-url".getBytes(StandardCharsets.UTF_8)));
        assertThat(ex.getMessage().getHeaders()).doesNotContainKey("Authorization");
        assertThat(camel.getEndpoints()).allSatisfy(e -> assertThat(e.getEndpointUri()).doesNotContain("p%40ss"));

        // the same client asked for another host (another port) sends no credentials
        HttpClientBuilder b = HttpClientBuilder.create().setConnectionManager(PoolingHttpClientConnectionManagerBuilder
                .create().setTlsSocketStrategy(new DefaultClientTlsStrategy(ReceiverTls.clientTrusting(localhost.pem())))
                .build());
        elastic.configureHttpClient(b);
        try (CloseableHttpClient c = b.build()) {
            c.execute(new HttpGet(other.url() + "/"), response -> response.getCode());
        }
        assertThat(other.requests).containsExactly("-");

        post(client("splunk", own.url(), "receiver-pem", "Splunk"), own.url());
        post(client("hook", own.url(), "receiver-pem", ""), own.url());
        assertThat(own.requests).endsWith("Splunk hec-token-in-config", "Bearer hook-token-in-config");
    }

    @Test
    void leavesRetriesToTheSink() {
        Receiver busy = receiver(localhost.serverContext(), 503);
        sink("hook", Map.of("url", busy.url()));
        long start = System.nanoTime();
        Exchange ex = post(client("hook", busy.url(), "receiver-pem", ""), busy.url());
        assertThat(ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(busy.requests).as("HttpClient neither retried nor slept through Retry-After").hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void anUnknownBundleStopsTheStartNamingTheKey() {
        sink("hook", Map.of("url", "https://127.0.0.1:1"));
        SinkHttpClient c = client("hook", "https://127.0.0.1:1", "no-such-bundle", "");
        assertThatThrownBy(() -> c.configureHttpClient(HttpClientBuilder.create()))
                .hasMessageContaining("o365.sinks.hook.ssl-bundle")
                .hasMessageContaining("no-such-bundle")
                .hasMessageContaining("spring.ssl.bundle.pem.no-such-bundle");
    }

    private void sink(String name, Map<String, String> cfg) {
        props.getSinks().put(name, cfg);
    }

    private SinkHttpClient client(String sink, String url, String bundle, String tokenScheme) {
        SinkHttpClient c = new SinkHttpClient(new SinkSettings(props), new SinkTls(bundles), TIMEOUTS);
        c.setSink(sink);
        c.setUrl(url);
        c.setSslBundle(bundle);
        c.setTokenScheme(tokenScheme);
        return c;
    }

    /** POSTs through camel-http as the sink routes do, with a fresh endpoint for {@code client}. */
    private Exchange post(SinkHttpClient client, String url) {
        String name = "client" + System.identityHashCode(client);
        camel.getRegistry().bind(name, client);
        return camel.createProducerTemplate().request(url + "/hook?httpMethod=POST&throwExceptionOnFailure=false"
                + "&httpClientConfigurer=#" + name, e -> e.getMessage().setBody("{}"));
    }

    private Receiver receiver(SSLContext tls, int status) {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            Receiver r = new Receiver(s, new CopyOnWriteArrayList<>());
            s.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    r.requests.add(exchange.getRequestHeaders().getFirst("Authorization") == null ? "-"
                            : exchange.getRequestHeaders().getFirst("Authorization"));
                    exchange.getResponseHeaders().set("Retry-After", "30");
                    exchange.sendResponseHeaders(status, -1);
                }
            });
            s.start();
            receivers.add(r);
            return r;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An HTTPS endpoint on 127.0.0.1 that notes each request's Authorization ("-" for none). */
    private record Receiver(HttpsServer server, List<String> requests) {
        String url() {
            return "https://127.0.0.1:" + server.getAddress().getPort();
        }
    }
}
