package org.o365audit.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.DefaultExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Component;

/**
 * The RabbitMQ sink's messages: one per record, its body the record's JSON envelope (as the files and webhook sinks
 * write it), persistent, message id {@code <tenantId>/<record Id>} for consumers to deduplicate on, the batch, tenant
 * and app as headers, and the routing key from the sink's simple expression on the record. A record over the
 * broker's message size limit is set aside; the rest go.
 */
@Component("rabbitSink")
public class RabbitSink {
    public static final String ROUTING_KEY = "O365RabbitRoutingKey";
    public static final String MAX_MESSAGE_BYTES = "O365RabbitMaxMessageBytes";
    /** AMQP short strings (routing key, message id) hold at most 255 bytes. */
    static final int SHORT_STRING = 255;
    private static final JsonFactory JSON = new ObjectMapper().getFactory();

    private final SinkFeed feed;
    private final Map<String, Expression> expressions = new ConcurrentHashMap<>();

    public RabbitSink(SinkFeed feed) {
        this.feed = feed;
    }

    public List<RabbitMessage> messages(Exchange ex) {
        SinkBatch batch = ex.getIn().getBody(SinkBatch.class);
        String keyExpression = ex.getProperty(ROUTING_KEY, String.class);
        long max = ex.getProperty(MAX_MESSAGE_BYTES, Long.MAX_VALUE, Long.class);
        Expression key = expressions.computeIfAbsent(keyExpression,
                k -> ex.getContext().resolveLanguage("simple").createExpression(k));
        Exchange probe = new DefaultExchange(ex.getContext());
        List<RabbitMessage> out = new ArrayList<>(batch.size());
        List<SinkRecord> tooLarge = new ArrayList<>();
        for (SinkRecord r : batch.records()) {
            byte[] body = envelope(r);
            if (body.length > max) {
                tooLarge.add(r);
                continue;
            }
            out.add(new RabbitMessage(routingKey(key, keyExpression, probe, r), new Message(body, properties(batch, r))));
        }
        if (!tooLarge.isEmpty()) {
            feed.setAside(ex, tooLarge, "record of more than " + max + " bytes, over the broker's message size limit"
                    + " (max-message-bytes)");
        }
        return out;
    }

    private static MessageProperties properties(SinkBatch batch, SinkRecord r) {
        MessageProperties p = new MessageProperties();
        p.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        p.setContentEncoding("utf-8");
        p.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        p.setMessageId(messageId(r.getTenantId(), r.getId()));
        p.setAppId("o365-audit-connector");
        p.setType("o365.audit-record");
        p.setHeader("o365-batch-id", batch.id());
        p.setHeader("o365-sink", batch.sink());
        p.setHeader("o365-tenant-id", r.getTenantId());
        if (r.getApp() != null) {
            p.setHeader("o365-app", r.getApp());
        }
        if (r.getContentType() != null) {
            p.setHeader("o365-content-type", r.getContentType());
        }
        return p;
    }

    /** tenantId/Id; an Id too long for an AMQP short string goes as its SHA-256 (the same on every retry). */
    static String messageId(String tenantId, String id) {
        String plain = tenantId + "/" + id;
        if (plain.getBytes(StandardCharsets.UTF_8).length <= SHORT_STRING) {
            return plain;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return tenantId + "/sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String routingKey(Expression key, String source, Exchange probe, SinkRecord r) {
        probe.getIn().setBody(r);
        String value;
        try {
            value = key.evaluate(probe, String.class);
        } catch (RuntimeException e) {
            throw new SinkRefusedException("rabbitmq routing-key expression fails", source + ": " + e.getMessage());
        }
        return sanitize(value);
    }

    /**
     * Letters, digits, '.', '-' and '_' as they are; any other character (control characters, quotes, spaces,
     * '*', '#', non-ASCII) becomes '_', and the key is cut at 255 characters: a record's values can never make a
     * key the broker refuses, nor one that reads as a binding pattern.
     */
    static String sanitize(String key) {
        if (key == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(key.length(), SHORT_STRING));
        key.codePoints().limit(SHORT_STRING).forEach(c -> {
            boolean plain = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_');
            b.append(plain ? (char) c : '_');
        });
        return b.toString();
    }

    static byte[] envelope(SinkRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(r.getRaw().length() + 512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            RecordEnvelope.write(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
