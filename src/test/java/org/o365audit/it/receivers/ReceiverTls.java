package org.o365audit.it.receivers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.o365audit.simulator.TestTls;

/**
 * TLS material for the receivers. The HTTPS ones present the tests' localhost certificate ({@link TestTls}: CN=localhost,
 * SAN localhost and 127.0.0.1), which surefire's {@code javax.net.ssl.trustStore} already trusts; rsyslog presents
 * a certificate made per run, so clients of it get a trust store built from that PEM file.
 */
public final class ReceiverTls {


    private ReceiverTls() {
    }

    /** Server side: the tests' localhost key pair, which the tests' JVM trust store trusts. */
    static SSLContext serverContext() {
        return TestTls.LOCALHOST.serverContext();
    }

    /** A PKCS12 trust store holding just the certificate in {@code pem}. */
    public static KeyStore trustStoreOf(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("receiver", cert);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a trust store of " + pem, e);
        }
    }

    /** Writes {@link #trustStoreOf(Path)} to {@code target} as PKCS12 with {@code password}. */
    public static Path writeTrustStore(Path pem, Path target, String password) {
        try (OutputStream out = Files.newOutputStream(target)) {
            trustStoreOf(pem).store(out, password.toCharArray());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write " + target, e);
        }
    }

    /** A client context that trusts only the certificate in {@code pem}. */
    public static SSLContext clientTrusting(Path pem) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStoreOf(pem));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context trusting " + pem, e);
        }
    }
}
