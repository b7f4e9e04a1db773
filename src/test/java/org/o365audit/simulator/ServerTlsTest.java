package org.o365audit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.o365audit.auth.TlsSupport;

/** The demo's simulator makes its TLS key at start: none ships, and a client trusts exactly this run's one. */
class ServerTlsTest {

    @Test
    void twoStartsPresentDifferentCertificatesForLocalhost() throws Exception {
        try (ManagementApiSimulator first = ManagementApiSimulator.start(0, Clock.systemUTC());
             ManagementApiSimulator second = ManagementApiSimulator.start(0, Clock.systemUTC())) {
            X509Certificate a = first.certificate();
            X509Certificate b = second.certificate();

            assertThat(a.getPublicKey()).isNotEqualTo(b.getPublicKey());
            assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
            assertThat(a.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                    .containsExactlyInAnyOrder("localhost", "127.0.0.1");
            a.checkValidity();
        }
    }

    @Test
    void aClientTrustingOneRunsCertificateReachesThatRunOnly() throws Exception {
        try (ManagementApiSimulator simulator = ManagementApiSimulator.start(0, Clock.systemUTC());
             ManagementApiSimulator other = ManagementApiSimulator.start(0, Clock.systemUTC())) {
            HttpClient client = HttpClient.newBuilder().sslContext(TlsSupport.trusting(simulator.certificate())).build();

            assertThat(get(client, simulator.baseUrl() + "/nowhere").statusCode()).isEqualTo(404);
            assertThatThrownBy(() -> get(client, other.baseUrl() + "/nowhere")).isInstanceOf(SSLHandshakeException.class);
            // nor does the JVM's trust store (the tests' one trusts the test-only localhost certificate) know it
            assertThatThrownBy(() -> get(HttpClient.newHttpClient(), simulator.baseUrl() + "/nowhere"))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    /** target/classes is what the jar carries as BOOT-INF/classes. */
    @Test
    void noPrivateKeyShipsWithTheApplication() throws IOException {
        Path classes = Path.of("target", "classes");
        assertThat(classes).isDirectory();
        try (Stream<Path> files = Files.walk(classes)) {
            List<Path> keyMaterial = files.filter(Files::isRegularFile).filter(ServerTlsTest::isKeyMaterial).toList();
            assertThat(keyMaterial).isEmpty();
        }
    }

    private static boolean isKeyMaterial(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Stream.of(".p12", ".pfx", ".jks", ".pem", ".key", ".keystore").anyMatch(name::endsWith)) {
            return true;
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("PRIVATE KEY-----");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
