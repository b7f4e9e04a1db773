package org.o365audit.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * The tests' fixed localhost identity (src/test/resources/tls/localhost.p12, test-only, never in the jar), which
 * surefire's and failsafe's {@code javax.net.ssl.trustStore} (localhost-trust.p12) trusts: the tests' simulators
 * and HTTPS receivers present it, so plain JDK clients and packaged collectors started by a test trust them.
 * The demo's simulator makes a fresh identity at every start instead.
 */
public final class TestTls {
    private static final Path KEYSTORE = Path.of("src/test/resources/tls/localhost.p12");
    private static final char[] PASSWORD = "simulator".toCharArray();

    public static final ServerTls LOCALHOST = load();

    private TestTls() {
    }

    private static ServerTls load() {
        try (InputStream in = Files.newInputStream(KEYSTORE)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD);
            return ServerTls.of(keyStore, PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + KEYSTORE, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + KEYSTORE, e);
        }
    }
}
