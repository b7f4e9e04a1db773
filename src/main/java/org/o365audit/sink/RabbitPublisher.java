package org.o365audit.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * One RabbitMQ sink's publishing (a local bean of the rabbitmq-sink template): every message of the batch goes
 * mandatory with a correlated publisher confirm, and the batch counts as delivered only when the broker has acked
 * each one. A message the broker returns (no queue is bound for its routing key), a missing exchange or a refused
 * login is a setting to fix (SinkRefusedException: the batch waits, nothing is set aside); a nack, a lost connection
 * or no confirm within confirmTimeoutMillis fails the delivery and the batch goes again (consumers deduplicate on
 * the message id). Spring AMQP's RabbitTemplate, not a camel-spring-rabbitmq endpoint: that producer confirms one
 * message at a time and never publishes mandatory, so an unroutable message would be dropped unseen.
 */
public class RabbitPublisher {
    private final RabbitConnections connections;
    private String sink = "";
    private String addresses = "";
    private String host = "";
    private String port = "";
    private String virtualHost = "/";
    private String username = "";
    private boolean tls;
    private String sslBundle = "";
    private boolean hostnameVerification = true;
    private String exchange = "";
    private String exchangeType = "topic";
    private boolean declareExchange = true;
    private long confirmTimeoutMillis = 30_000;
    private volatile RabbitTemplate template;
    private volatile boolean declared;

    public RabbitPublisher(RabbitConnections connections) {
        this.connections = connections;
    }

    public void publish(List<RabbitMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        RabbitTemplate t = template();
        List<CorrelationData> sent = new ArrayList<>(messages.size());
        try {
            declare(t);
            // all on one channel (invoke), one after the other without waiting: the confirms are awaited below
            t.invoke(operations -> {
                for (RabbitMessage m : messages) {
                    CorrelationData confirm = new CorrelationData(m.id());
                    operations.send(exchange, m.routingKey(), m.message(), confirm);
                    sent.add(confirm);
                }
                return null;
            });
        } catch (RuntimeException e) {
            throw classify("publishing to rabbitmq failed", e.getMessage(), e);
        }
        awaitConfirms(sent, messages);
    }

    private void awaitConfirms(List<CorrelationData> sent, List<RabbitMessage> messages) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMillis);
        List<ReturnedMessage> returned = new ArrayList<>();
        String nack = null;
        for (int i = 0; i < sent.size(); i++) {
            CorrelationData.Confirm c;
            try {
                c = sent.get(i).getFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new SinkUnavailableException("rabbitmq confirmed " + i + " of " + sent.size()
                        + " messages within " + confirmTimeoutMillis + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkUnavailableException("interrupted while waiting for rabbitmq's confirms");
            } catch (ExecutionException e) {
                throw new SinkUnavailableException("no confirm from rabbitmq: " + e.getCause(), e.getCause());
            }
            if (sent.get(i).getReturned() != null) {
                returned.add(sent.get(i).getReturned());
            } else if (!c.isAck() && nack == null) {
                nack = c.getReason() == null ? "nack" : c.getReason();
            }
        }
        if (nack != null) {
            throw classify("rabbitmq did not take the batch", nack, null);
        }
        if (!returned.isEmpty()) {
            ReturnedMessage first = returned.get(0);
            throw new SinkRefusedException("rabbitmq routes the messages to no queue (unroutable)", returned.size()
                    + " of " + messages.size() + " returned, e.g. routing key '" + first.getRoutingKey()
                    + "' on exchange '" + first.getExchange() + "' (" + first.getReplyCode() + " "
                    + first.getReplyText() + "): bind a queue for it or change routing-key");
        }
    }

    /** Declares the exchange (durable, exchangeType) once per connection when declareExchange is on. */
    private void declare(RabbitTemplate t) {
        if (declared || !declareExchange || exchange.isEmpty() || exchange.startsWith("amq.")) {
            return;
        }
        t.execute(channel -> channel.exchangeDeclare(exchange, exchangeType, true));
        declared = true;
    }

    /** A setting to fix (login, vhost, exchange missing or of another type) or a delivery that failed. */
    private RuntimeException classify(String what, String reason, Throwable e) {
        String all = reason == null ? "" : reason;
        for (Throwable c = e == null ? null : e.getCause(); c != null && c.getCause() != c; c = c.getCause()) {
            all += " " + c.getMessage();   // the broker's reply (reply-code, reply-text) is often a cause's message
        }
        String upper = all.toUpperCase(Locale.ROOT);
        if (upper.contains("NOT_FOUND")) {
            declared = false;   // the exchange may have been deleted: declared again on the next try
            return new SinkRefusedException("rabbitmq: exchange '" + exchange + "' or virtual host not found", brief(all));
        }
        if (e instanceof AmqpAuthenticationException || upper.contains("ACCESS_REFUSED")
                || upper.contains("NOT_ALLOWED") || upper.contains("PRECONDITION_FAILED")) {
            return new SinkRefusedException("rabbitmq refuses the sink's login, virtual host or exchange", brief(all));
        }
        return new SinkUnavailableException(what + ": " + brief(reason == null ? all : reason), e);
    }

    private static String brief(String text) {
        String t = text.trim();
        return t.length() > 500 ? t.substring(0, 500) + "…" : t;
    }

    private RabbitTemplate template() {
        RabbitTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    CachingConnectionFactory factory = connections.connect(new RabbitConnections.Target(sink, addresses,
                            host, port, virtualHost, username, tls, sslBundle, hostnameVerification));
                    factory.addConnectionListener(connection -> declared = false);
                    RabbitTemplate made = new RabbitTemplate(factory);
                    made.setMandatory(true);
                    made.setReturnsCallback(r -> { });   // returns are read from each message's CorrelationData
                    template = made;
                }
                t = template;
            }
        }
        return t;
    }

    public void setSink(String sink) {
        this.sink = sink;
    }

    public void setAddresses(String addresses) {
        this.addresses = addresses == null ? "" : addresses;
    }

    public void setHost(String host) {
        this.host = host == null ? "" : host;
    }

    public void setPort(String port) {
        this.port = port == null ? "" : port;
    }

    public void setVirtualHost(String virtualHost) {
        this.virtualHost = virtualHost == null ? "/" : virtualHost;
    }

    public void setUsername(String username) {
        this.username = username == null ? "" : username;
    }

    public void setTls(boolean tls) {
        this.tls = tls;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle == null ? "" : sslBundle;
    }

    public void setHostnameVerification(boolean hostnameVerification) {
        this.hostnameVerification = hostnameVerification;
    }

    public void setExchange(String exchange) {
        this.exchange = exchange == null ? "" : exchange;
    }

    public void setExchangeType(String exchangeType) {
        this.exchangeType = exchangeType;
    }

    public void setDeclareExchange(boolean declareExchange) {
        this.declareExchange = declareExchange;
    }

    public void setConfirmTimeoutMillis(long confirmTimeoutMillis) {
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }
}
