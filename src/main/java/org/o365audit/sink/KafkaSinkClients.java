package org.o365audit.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.springframework.boot.ssl.SslBundle;

/**
 * The Kafka clients of one kafka sink: a local bean of its route template, camel-kafka's kafkaClientFactory. The
 * producer gets the sink's secrets here, as it is created, from o365.sinks.&lt;name&gt; ({@code sasl-jaas-config},
 * {@code ssl-truststore-password}, {@code ssl-keystore-password}, {@code ssl-key-password}), and the trust of
 * its {@code ssl-bundle}: none of them is ever an endpoint option, so no URI, route dump, log line or JMX attribute
 * shows them. The same settings serve the admin look-up that tells an unknown topic from a broker that is down.
 */
public class KafkaSinkClients extends DefaultKafkaClientFactory {
    /** Secret keys of a kafka sink and the Kafka client setting each one fills. */
    static final Map<String, String> SECRETS = Map.of(
            "sasl-jaas-config", SaslConfigs.SASL_JAAS_CONFIG,
            "ssl-truststore-password", SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
            "ssl-keystore-password", SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG,
            "ssl-key-password", SslConfigs.SSL_KEY_PASSWORD_CONFIG);

    private final SinkSettings settings;
    private final SinkTls tls;
    private final KafkaSink kafkaSink;
    private String sink;
    private String sslBundle = "";
    private volatile Properties used;
    private volatile Producer<?, ?> producer;

    public KafkaSinkClients(SinkSettings settings, SinkTls tls, KafkaSink kafkaSink) {
        this.settings = settings;
        this.tls = tls;
        this.kafkaSink = kafkaSink;
    }

    public void setSink(String sink) {
        this.sink = sink;
        kafkaSink.register(sink, this);
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle == null ? "" : sslBundle.trim();
        if (sink != null) {
            tls.bundle(sink, this.sslBundle);   // a bundle that does not exist stops the start, naming the key
        }
    }

    @Override
    public Producer getProducer(Properties kafkaProps) {
        Properties props = withSecrets(kafkaProps);
        used = props;
        Producer<?, ?> p = super.getProducer(props);
        producer = p;
        return p;
    }

    /**
     * Waits (at most max-block-ms) until the producer knows the topic's partitions, so that sending the batch does not
     * wait that long once per record; throws what the wait ended with (a TimeoutException when the broker cannot be
     * reached or the topic does not exist, an AuthorizationException ...).
     */
    void awaitMetadata(String topic) {
        Producer<?, ?> p = producer;
        if (p != null) {
            p.partitionsFor(topic);
        }
    }

    Properties withSecrets(Properties camelProps) {
        Properties props = new Properties();
        props.putAll(camelProps);
        SECRETS.forEach((key, setting) -> {
            String value = settings.secret(sink, key);
            if (value != null) {
                props.put(setting, value);
            }
        });
        if (props.getProperty(org.apache.kafka.clients.CommonClientConfigs.CLIENT_ID_CONFIG, "").isBlank()) {
            props.put(org.apache.kafka.clients.CommonClientConfigs.CLIENT_ID_CONFIG, "o365-sink-" + sink);
        }
        SslBundle bundle = tls.bundle(sink, sslBundle);
        if (bundle != null) {
            props.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, KafkaSinkTls.class);
            props.put(KafkaSinkTls.BUNDLE, bundle);
        }
        return props;
    }

    /**
     * Whether the broker says the topic does not exist (true), it exists (false), or cannot tell now (null: the
     * broker is down or slow). Asked only after the producer waited in vain for a topic's metadata.
     */
    Boolean topicMissing(String topic) {
        Properties producer = used;
        if (producer == null) {
            return null;
        }
        Map<String, Object> cfg = new HashMap<>();
        for (String key : AdminClientConfig.configNames()) {
            if (producer.containsKey(key)) {
                cfg.put(key, producer.get(key));
            }
        }
        cfg.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, producer.get(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG));
        cfg.put(KafkaSinkTls.BUNDLE, producer.get(KafkaSinkTls.BUNDLE));
        cfg.values().removeIf(java.util.Objects::isNull);
        cfg.put(AdminClientConfig.CLIENT_ID_CONFIG, "o365-sink-" + sink + "-admin");
        cfg.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        cfg.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
        try (Admin admin = Admin.create(cfg)) {
            return !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        } catch (Exception cannotTell) {
            return null;
        }
    }
}
