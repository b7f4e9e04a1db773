package org.o365audit.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The simulator's TLS identity: CN=localhost (SAN localhost, 127.0.0.1) from the classpath keystore. */
public final class ServerTls {

    static final String KEYSTORE = "/simulator/simulator-tls.p12";
    private static final char[] PASSWORD = "simulator".toCharArray();

    private ServerTls() {
    }

    public static SSLContext fromClasspath() {
        try (InputStream in = ServerTls.class.getResourceAsStream(KEYSTORE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + KEYSTORE + " is missing");
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + KEYSTORE, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + KEYSTORE, e);
        }
    }
}
