package org.o365audit.it.receivers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * A server key pair made at test time by the openssl CLI, self-signed, so that no trust store the tests' JVM has
 * trusts it: a client trusts it only through what it is given (the PEM file, a PKCS#12 trust store made of it).
 *
 * @param key the private key, PEM (PKCS#8)
 * @param pem the certificate, PEM
 */
public record SelfSignedCertificate(Path key, Path pem) {

    /** A certificate for CN={@code cn} with subject alternative names {@code san} (e.g. {@code DNS:localhost,IP:127.0.0.1}). */
    public static SelfSignedCertificate make(Path dir, String cn, String san) {
        try {
            Files.createDirectories(dir);
            Path key = dir.resolve("server-key.pem");
            Path pem = dir.resolve("server.pem");
            List<String> command = List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=" + cn, "-addext",
                    "subjectAltName=" + san, "-keyout", key.toString(), "-out", pem.toString());
            Path log = dir.resolve("openssl.log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new SelfSignedCertificate(key, pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a certificate in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }

    /** The server side: presents this certificate. */
    public SSLContext serverContext() {
        try {
            KeyStore ks = new PemSslStoreBundle(new PemSslStoreDetails(null, "file:" + pem, "file:" + key), null)
                    .getKeyStore();
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + key, e);
        }
    }

    /** A PKCS#12 trust store holding just this certificate, written next to it. */
    public Path trustStore(String password) {
        return ReceiverTls.writeTrustStore(pem, pem.resolveSibling("trust.p12"), password);
    }
}
