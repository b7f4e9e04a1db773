package org.o365audit.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.springframework.stereotype.Component;

/**
 * The kafka sink's steps around camel-kafka. {@link #messages} turns the kept batch into one Kafka message per record
 * (an exchange each, which camel-kafka sends as one record with its own key, topic and headers); after the send,
 * {@link #acknowledged} reads what the broker answered for every one of them: the batch counts as delivered only
 * when each record has its acknowledgement or was set aside for being too large.
 */
@Component("kafkaSink")
public class KafkaSink {
    /** The messages of the batch, one exchange per record, in batch order. */
    public static final String MESSAGES = "O365KafkaMessages";
    public static final String TOPIC = "O365KafkaTopic";
    public static final String TOPIC_EXPRESSION = "O365KafkaTopicExpression";
    /** Kafka record headers each message carries (never a secret). */
    public static final String BATCH_HEADER = "o365.batch.id";
    public static final String TENANT_HEADER = "o365.tenant.id";
    public static final String APP_HEADER = "o365.app";
    public static final String SINK_HEADER = "o365.sink";

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Expression> expressions = new ConcurrentHashMap<>();
    private final Map<String, KafkaSinkClients> clients = new ConcurrentHashMap<>();
    private final SinkFeed feed;
    private final KafkaFailures failures = new KafkaFailures();

    public KafkaSink(SinkFeed feed) {
        this.feed = feed;
    }

    void register(String sink, KafkaSinkClients c) {
        clients.put(sink, c);
    }

    /**
     * Body: the kept batch as a list of exchanges, one per record: body the record's JSON envelope, key
     * {@code <tenantId>/<record Id>}, topic from topic-expression (sanitized; see {@link KafkaTopics}) or the sink's
     * topic. A record for which no topic can be made is set aside with the reason, the others go.
     */
    public List<Exchange> messages(Exchange ex) {
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        String topic = blankToNull(ex.getProperty(TOPIC, String.class));
        String expressionText = blankToNull(ex.getProperty(TOPIC_EXPRESSION, String.class));
        Expression expression = expressionText == null ? null : expressions.computeIfAbsent(expressionText,
                t -> ex.getContext().resolveLanguage("simple").createExpression(t));
        // what acknowledged() reads must be this batch's, not a caught exception of an earlier batch of the run
        ex.removeProperty(Exchange.EXCEPTION_CAUGHT);
        List<Exchange> out = new ArrayList<>(kept.size());
        List<SinkRecord> noTopic = new ArrayList<>();
        for (SinkRecord r : kept.records()) {
            Exchange m = new DefaultExchange(ex.getContext());
            m.getIn().setBody(r);
            String to = expression == null ? topic : topicOf(expression, m, topic);
            if (to == null) {
                noTopic.add(r);
                continue;
            }
            m.setProperty(SinkExchange.SINK, kept.sink());
            m.setProperty(SinkRecord.class.getName(), r);
            m.getIn().setHeader(KafkaConstants.OVERRIDE_TOPIC, to);
            m.getIn().setHeader(KafkaConstants.KEY, r.getTenantId() + "/" + r.getId());
            m.getIn().setHeader(BATCH_HEADER, kept.id());
            m.getIn().setHeader(TENANT_HEADER, r.getTenantId());
            m.getIn().setHeader(SINK_HEADER, kept.sink());
            if (r.getApp() != null) {
                m.getIn().setHeader(APP_HEADER, r.getApp());
            }
            m.getIn().setBody(json(r));
            out.add(m);
        }
        KafkaSinkClients c = clients.get(kept.sink());
        for (String t : out.stream().map(m -> m.getIn().getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))) {
            try {
                if (c != null) {
                    c.awaitMetadata(t);
                }
            } catch (RuntimeException e) {
                throw failures.classify(e, t, c::topicMissing);
            }
        }
        feed.setAside(ex, noTopic, "kafka: the topic-expression gives no usable topic name for this record"
                + " and the sink has no topic to fall back on");
        ex.setProperty(MESSAGES, out);
        ex.getMessage().getHeaders().clear();
        return out;
    }

    /**
     * Every message acknowledged by the broker (its RecordMetadata): returns, the batch is delivered. A record the
     * producer or broker says is too large (RecordTooLargeException) is set aside, alone. Anything else: a
     * {@link SinkRefusedException} for a setting to fix (unknown topic, not authorized, SASL), else a
     * {@link SinkUnavailableException}: the whole batch goes again (the key lets consumers drop repeats).
     */
    public void acknowledged(Exchange ex) {
        @SuppressWarnings("unchecked")
        List<Exchange> sent = ex.getProperty(MESSAGES, List.class);
        Throwable whole = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        List<SinkRecord> tooLarge = new ArrayList<>();
        String tooLargeReason = null;
        Throwable failure = null;
        String failedTopic = null;
        int unanswered = 0;
        for (Exchange m : sent) {
            Throwable e = m.getException();
            if (e == null && m.getMessage().getHeader(KafkaConstants.KAFKA_RECORD_META) instanceof List<?> meta
                    && !meta.isEmpty() && meta.get(0) instanceof RecordMetadata) {
                continue;
            }
            if (KafkaFailures.find(e, RecordTooLargeException.class) != null) {
                tooLarge.add(m.getProperty(SinkRecord.class.getName(), SinkRecord.class));
                tooLargeReason = "kafka: " + KafkaFailures.find(e, RecordTooLargeException.class).getMessage();
            } else if (e != null && failure == null) {
                failure = e;
                failedTopic = m.getIn().getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class);
            } else if (e == null) {
                unanswered++;
            }
        }
        if (failure == null && whole != null && KafkaFailures.find(whole, RecordTooLargeException.class) == null) {
            failure = whole;
        }
        if (failure != null) {
            KafkaSinkClients c = clients.get(ex.getProperty(SinkExchange.SINK, String.class));
            throw failures.classify(failure, failedTopic, topic -> c == null ? null : c.topicMissing(topic));
        }
        if (unanswered > 0) {
            throw new SinkUnavailableException("kafka: " + unanswered + " record(s) of the batch got no acknowledgement");
        }
        feed.setAside(ex, tooLarge, tooLargeReason);
    }

    static String json(SinkRecord r) {
        StringWriter w = new StringWriter(r.getRaw().length() + 512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            RecordEnvelope.write(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static String topicOf(Expression expression, Exchange m, String fallback) {
        String t;
        try {
            t = KafkaTopics.sanitize(expression.evaluate(m, String.class));
        } catch (RuntimeException e) {
            t = null;
        }
        return t == null ? fallback : t;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
