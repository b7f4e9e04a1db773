package org.o365audit.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.o365audit.it.receivers.SelfSignedCertificate;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * The syslog sink's TLS as camel-netty runs it with {@link SyslogPipeline}: a receiver is trusted through the sink's
 * SSL bundle (PEM or PKCS#12) and must present a certificate naming the host the sink connects to, unless the sink
 * switches that check off.
 */
class SyslogPipelineTest {
    @TempDir
    static Path dir;
    private static SelfSignedCertificate localhost;
    private static SelfSignedCertificate elsewhere;

    private final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
    private final List<TlsReceiver> receivers = new CopyOnWriteArrayList<>();
    private CamelContext camel;

    @BeforeAll
    static void certificates() {
        localhost = SelfSignedCertificate.make(dir.resolve("localhost"), "localhost", "DNS:localhost,IP:127.0.0.1");
        elsewhere = SelfSignedCertificate.make(dir.resolve("elsewhere"), "elsewhere.example", "DNS:elsewhere.example");
    }

    @BeforeEach
    void start() {
        bundles.registerBundle("localhost-pem", SslBundle.of(new PemSslStoreBundle(null,
                PemSslStoreDetails.forCertificate("file:" + localhost.pem()))));
        bundles.registerBundle("localhost-p12", SslBundle.of(new JksSslStoreBundle(null,
                new JksSslStoreDetails("PKCS12", null, "file:" + localhost.trustStore("trust-pw"), "trust-pw"))));
        bundles.registerBundle("elsewhere-pem", SslBundle.of(new PemSslStoreBundle(null,
                PemSslStoreDetails.forCertificate("file:" + elsewhere.pem()))));
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        receivers.forEach(TlsReceiver::close);
    }

    @Test
    void trustsTheReceiverThroughThePemOrPkcs12BundleOnly() {
        TlsReceiver r = receiver(localhost);
        assertThat(send(r, "", true, "jvm").getException()).as("the JVM's trust store does not have the certificate")
                .hasStackTraceContaining("PKIX path building failed");
        for (String bundle : List.of("localhost-pem", "localhost-p12")) {
            assertThat(send(r, bundle, true, bundle).getException()).as(bundle).isNull();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> r.received().contains("localhost-p12"));
        assertThat(r.received()).contains("localhost-pem").doesNotContain("jvm");
    }

    @Test
    void refusesAReceiverWhoseCertificateNamesAnotherHost() {
        TlsReceiver r = receiver(elsewhere);
        Exchange ex = send(r, "elsewhere-pem", true, "not for localhost");
        assertThat(ex.getException()).as("chain trusted, but the certificate names elsewhere.example, not localhost")
                .hasStackTraceContaining("No subject alternative DNS name matching localhost");
        assertThat(r.received()).isEmpty();
    }

    @Test
    void theHostNameCheckCanBeSwitchedOffForOneSink() {
        TlsReceiver r = receiver(elsewhere);
        assertThat(send(r, "elsewhere-pem", false, "unchecked name").getException()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.received().contains("unchecked name"));
    }

    private Exchange send(TlsReceiver r, String bundle, boolean verifyHost, String text) {
        SyslogPipeline pipeline = new SyslogPipeline(new SinkTls(bundles));
        pipeline.setSink("siem");
        pipeline.setSslBundle(bundle);
        String name = "pipeline" + System.identityHashCode(pipeline);
        camel.getRegistry().bind(name, pipeline);
        return camel.createProducerTemplate().request("netty:tcp://localhost:" + r.port() + "?sync=false"
                        + "&allowDefaultCodec=false&ssl=true&connectTimeout=5000&hostnameVerification=" + verifyHost
                        + "&clientInitializerFactory=#" + name,
                e -> e.getMessage().setBody(Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8)));
    }

    private TlsReceiver receiver(SelfSignedCertificate cert) {
        TlsReceiver r = new TlsReceiver(cert.serverContext());
        receivers.add(r);
        return r;
    }

    /** A TLS server on 127.0.0.1 that keeps what its clients write. */
    static final class TlsReceiver implements AutoCloseable {
        private final SSLServerSocket server;
        private final StringBuffer received = new StringBuffer();

        TlsReceiver(SSLContext tls) {
            try {
                server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 10,
                        InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Thread t = new Thread(this::accept, "tls-receiver");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        String received() {
            return received.toString();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> read(s), "tls-receiver-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void read(Socket s) {
            try (s; InputStream in = s.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0; ) {
                    received.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException refused) {
                // a client that refused our certificate, or the connection closing
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
