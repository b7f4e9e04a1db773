package org.o365audit.sink;

import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * The RabbitMQ sinks' connections: one CachingConnectionFactory per sink, made here so that the password goes from
 * o365.sinks.&lt;name&gt;.password straight into the client (never a route parameter, URI, header, log line or MBean)
 * and closed when the application stops. Publisher confirms are correlated and returns are on: the sink waits for
 * the broker's ack of every message and sees a message that no queue took.
 */
@Component("rabbitConnections")
public class RabbitConnections {
    private final SinkSettings settings;
    private final SinkTls tls;
    private final List<CachingConnectionFactory> open = new CopyOnWriteArrayList<>();

    public RabbitConnections(SinkSettings settings, SinkTls tls) {
        this.settings = settings;
        this.tls = tls;
    }

    /** The settings a sink connects with (all but the password, which is read from the sink's settings here). */
    public record Target(String sink, String addresses, String host, String port, String virtualHost, String username,
                         boolean tls, String sslBundle, boolean hostnameVerification) {
    }

    public CachingConnectionFactory connect(Target t) {
        com.rabbitmq.client.ConnectionFactory client = new com.rabbitmq.client.ConnectionFactory();
        client.setHost(t.host().isBlank() ? "localhost" : t.host().trim());
        client.setPort(t.port().isBlank() ? (t.tls() ? 5671 : 5672) : Integer.parseInt(t.port().trim()));
        client.setVirtualHost(t.virtualHost().isBlank() ? "/" : t.virtualHost());
        if (!t.username().isBlank()) {
            client.setUsername(t.username());
        }
        String password = settings.secret(t.sink(), "password");
        if (password != null) {
            client.setPassword(password);
        }
        client.setConnectionTimeout(10_000);
        client.setHandshakeTimeout(10_000);
        client.setRequestedHeartbeat(30);
        // Spring's factory reconnects on the next use; the client's own recovery would race with it
        client.setAutomaticRecoveryEnabled(false);
        if (t.tls()) {
            SSLContext context = tls.sslContext(t.sink(), t.sslBundle());
            client.useSslProtocol(context);
            if (t.hostnameVerification()) {
                client.enableHostnameVerification();
            }
        }
        CachingConnectionFactory factory = new CachingConnectionFactory(client);
        if (!t.addresses().isBlank()) {
            factory.setAddresses(t.addresses().trim());
        }
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        factory.setConnectionNameStrategy(f -> "o365-audit sink " + t.sink());
        factory.setBeanName("sink-" + t.sink());
        open.add(factory);
        return factory;
    }

    @PreDestroy
    public void closeAll() {
        open.forEach(CachingConnectionFactory::destroy);
        open.clear();
    }
}
