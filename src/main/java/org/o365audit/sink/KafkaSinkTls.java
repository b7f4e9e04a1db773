package org.o365audit.sink;

import java.security.KeyStore;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.springframework.boot.ssl.SslBundle;

/**
 * Kafka's TLS from a Spring Boot SSL bundle (the kafka sink's {@code ssl-bundle}): the bundle's trust (and key, for
 * mutual TLS), the broker's host name checked as HTTPS clients check it. Kafka instantiates this class itself and
 * hands it the bundle under the key {@link #BUNDLE} of the client's configuration (put there by
 * {@link KafkaSinkClients}, never in an endpoint URI).
 */
public class KafkaSinkTls implements SslEngineFactory {
    public static final String BUNDLE = "o365.sink.ssl-bundle";

    private SslBundle bundle;
    private SSLContext context;

    @Override
    public void configure(Map<String, ?> configs) {
        bundle = (SslBundle) configs.get(BUNDLE);
        if (bundle == null) {
            throw new IllegalStateException("no SSL bundle under " + BUNDLE);
        }
        context = bundle.createSslContext();
    }

    @Override
    public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification) {
        return SinkTls.clientEngine(context, bundle, peerHost, peerPort, true);
    }

    @Override
    public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
        throw new UnsupportedOperationException("a sink is a client");
    }

    @Override
    public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
        return false;
    }

    @Override
    public Set<String> reconfigurableConfigs() {
        return Set.of();
    }

    @Override
    public KeyStore keystore() {
        return bundle.getStores().getKeyStore();
    }

    @Override
    public KeyStore truststore() {
        return bundle.getStores().getTrustStore();
    }

    @Override
    public void close() {
        // nothing held open
    }
}
