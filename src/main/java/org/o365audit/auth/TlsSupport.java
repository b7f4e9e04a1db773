package org.o365audit.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.o365audit.config.Tenant;

/**
 * The TLS context for a tenant's endpoints: the JVM's default trust (which honours
 * {@code -Djavax.net.ssl.trustStore}) unless the tenant names a trust store of its own.
 */
public final class TlsSupport {
    private TlsSupport() {
    }

    public static SSLContext sslContext(Tenant tenant) {
        try {
            if (tenant.trustStore() == null || tenant.trustStore().isBlank()) {
                return SSLContext.getDefault();
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            char[] pw = tenant.trustStorePassword() == null ? new char[0] : tenant.trustStorePassword().toCharArray();
            try (InputStream in = open(tenant.trustStore())) {
                ks.load(in, pw);
            }
            return trustingStore(ks);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("tenant " + tenant.name() + ": cannot load trust store "
                    + tenant.trustStore() + ": " + e.getMessage(), e);
        }
    }

    /** A context that trusts exactly this certificate (a self-signed server certificate handed over in-process). */
    public static SSLContext trusting(X509Certificate certificate) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("pinned", certificate);
            return trustingStore(ks);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context trusting " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static SSLContext trustingStore(KeyStore trusted) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Opens {@code classpath:...} resources or files. */
    public static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String res = location.substring("classpath:".length());
            InputStream in = TlsSupport.class.getResourceAsStream(res.startsWith("/") ? res : "/" + res);
            if (in == null) {
                throw new IOException("no classpath resource " + res);
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }
}
