package org.o365audit.sink;

import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.stereotype.Component;

/**
 * The TLS trust of the sinks: a Spring Boot SSL bundle named by {@code o365.sinks.<name>.ssl-bundle}
 * (spring.ssl.bundle.pem.* or spring.ssl.bundle.jks.*, PEM or PKCS#12/JKS), or the JVM's trust store when none
 * is named. A name that no bundle has stops the start with the key that names it.
 */
@Component("sinkTls")
public class SinkTls {
    private final SslBundles bundles;

    public SinkTls(SslBundles bundles) {
        this.bundles = bundles;
    }

    /** The bundle called {@code name}; blank for none (null). */
    public SslBundle bundle(String sink, String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return bundles.getBundle(name.trim());
        } catch (NoSuchSslBundleException e) {
            // this message, not Spring's, is the one the start-up failure shows: it names the key to fix
            throw new IllegalStateException("o365.sinks." + sink + ".ssl-bundle: there is no SSL bundle '" + name.trim()
                    + "' (define it under spring.ssl.bundle.pem." + name.trim() + " or spring.ssl.bundle.jks."
                    + name.trim() + ")");
        }
    }

    /** A client TLS context trusting the bundle's certificates (and presenting its key, if it has one). */
    public SSLContext sslContext(String sink, String name) {
        SslBundle b = bundle(sink, name);
        if (b == null) {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("sink " + sink + ": the JVM has no default TLS context", e);
            }
        }
        return b.createSslContext();
    }

    /**
     * A client engine for {@code host}:{@code port}: the peer's name goes into SNI and, with {@code verifyHost}, the
     * server certificate must name that host (as HTTPS clients check it); the bundle's protocols and ciphers apply.
     */
    public static SSLEngine clientEngine(SSLContext context, SslBundle bundle, String host, int port, boolean verifyHost) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (verifyHost) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        SslOptions o = bundle == null ? SslOptions.NONE : bundle.getOptions();
        if (o.getEnabledProtocols() != null) {
            p.setProtocols(o.getEnabledProtocols());
        }
        if (o.getCiphers() != null) {
            p.setCipherSuites(o.getCiphers());
        }
        engine.setSSLParameters(p);
        return engine;
    }
}
