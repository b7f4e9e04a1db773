package org.o365audit.it.receivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A queue on the machine's RabbitMQ (127.0.0.1:5672, guest; .ci/run makes sure it runs) bound to an exchange, for
 * the RabbitMQ sink's tests and benchmark: {@link #bind} declares the exchange (durable topic, as the sink declares
 * it) and a queue of this run's own with a binding, {@link #received()} takes every message waiting and keeps it,
 * {@link #close()} deletes the queue (and the exchange, when this queue made it). Names carry a random part, so
 * parallel runs never share a queue.
 */
public final class RabbitQueue implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5672;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Channel channel;
    private final String exchange;
    private final String queue;
    private final boolean ownsExchange;
    private final List<Received> received = new ArrayList<>();

    /** One message as it arrived. */
    public record Received(String messageId, String routingKey, Map<String, Object> headers, String contentType,
                           Integer deliveryMode, byte[] body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            Object v = headers == null ? null : headers.get(name);
            return v == null ? null : v.toString();
        }
    }

    private RabbitQueue(String exchange, String bindingKey, boolean ownsExchange) throws IOException, TimeoutException {
        this.exchange = exchange;
        this.ownsExchange = ownsExchange;
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(HOST);
        f.setPort(PORT);
        this.connection = f.newConnection("o365 test receiver");
        this.channel = connection.createChannel();
        channel.exchangeDeclare(exchange, "topic", true);
        this.queue = "o365-test-" + UUID.randomUUID();
        channel.queueDeclare(queue, false, false, false, null);
        channel.queueBind(queue, exchange, bindingKey);
    }

    /** A new exchange name for this run: {@code prefix} and a random part. */
    public static String exchangeName(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /**
     * A queue bound to {@code exchange} with {@code bindingKey} (a topic pattern: # for everything); the exchange is
     * declared (durable topic) and deleted again on close.
     */
    public static RabbitQueue bind(String exchange, String bindingKey) {
        return open(exchange, bindingKey, true);
    }

    /** Another queue on an exchange that someone else owns (not deleted on close). */
    public static RabbitQueue alsoBind(String exchange, String bindingKey) {
        return open(exchange, bindingKey, false);
    }

    private static RabbitQueue open(String exchange, String bindingKey, boolean owns) {
        try {
            return new RabbitQueue(exchange, bindingKey, owns);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot reach RabbitMQ on " + HOST + ":" + PORT + " as guest (is it running?"
                    + " .ci/run starts it): " + e, e);
        }
    }

    /** For the benchmark: a queue taking everything published to a new exchange; {@link #count()} what arrived. */
    public static RabbitQueue forBenchmark() {
        return bind(exchangeName("o365-bench"), "#");
    }

    public String exchange() {
        return exchange;
    }

    public String queue() {
        return queue;
    }

    /** Messages waiting in the queue now (not yet taken by {@link #received()}), as the broker counts them. */
    public synchronized long waiting() {
        try {
            return channel.messageCount(queue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many messages have arrived in all: those taken so far and those waiting. */
    public synchronized long count() {
        return received.size() + waiting();
    }

    /** Every message that arrived so far, in order (takes the waiting ones off the queue). */
    public synchronized List<Received> received() {
        try {
            for (GetResponse r = channel.basicGet(queue, true); r != null; r = channel.basicGet(queue, true)) {
                received.add(new Received(r.getProps().getMessageId(), r.getEnvelope().getRoutingKey(),
                        r.getProps().getHeaders(), r.getProps().getContentType(), r.getProps().getDeliveryMode(),
                        r.getBody()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(received);
    }

    /** The messages that arrived for one tenant (header o365-tenant-id). */
    public List<Received> forTenant(String tenantId) {
        return received().stream().filter(m -> tenantId.equals(m.header("o365-tenant-id"))).toList();
    }

    /** How often each message id arrived. */
    public static Map<String, Long> arrivals(List<Received> messages) {
        return messages.stream().collect(Collectors.groupingBy(Received::messageId, Collectors.counting()));
    }

    /** The record Ids in the messages' envelopes. */
    public static List<String> recordIds(List<Received> messages) {
        return messages.stream().map(m -> m.json().path("record").path("Id").asText()).toList();
    }

    public static <T> List<T> map(List<Received> messages, Function<Received, T> f) {
        return messages.stream().map(f).toList();
    }

    @Override
    public synchronized void close() {
        try {
            channel.queueDelete(queue);
            if (ownsExchange) {
                channel.exchangeDelete(exchange);
            }
            connection.close();
        } catch (IOException | RuntimeException e) {
            connection.abort();
        }
    }
}
