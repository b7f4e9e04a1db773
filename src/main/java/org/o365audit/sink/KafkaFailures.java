package org.o365audit.sink;

import java.util.function.Function;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What a failed Kafka send means for the batch. A setting to fix (the topic does not exist or the sink may not write
 * to it, SASL credentials refused, a topic name Kafka rejects, a broker too old for idempotence) is a
 * {@link SinkRefusedException}; a broker that is down, slow, moving leaders or refusing TLS is a
 * {@link SinkUnavailableException}. Either way the whole batch stays pending.
 */
final class KafkaFailures {
    /**
     * @param topicMissing asks the broker whether a topic is missing (true), there (false) or it cannot tell (null);
     *                     used when the producer waited in vain for a topic's metadata, which is what it does both
     *                     for a topic that does not exist and for a broker that cannot be reached
     */
    RuntimeException classify(Throwable e, String topic, Function<String, Boolean> topicMissing) {
        if (find(e, AuthorizationException.class) != null) {
            return new SinkRefusedException("kafka refused: not authorized", root(e));
        }
        if (find(e, SaslAuthenticationException.class) != null) {
            return new SinkRefusedException("kafka refused: SASL authentication failed", root(e));
        }
        if (find(e, InvalidTopicException.class) != null || find(e, UnknownTopicOrPartitionException.class) != null) {
            return new SinkRefusedException("kafka refused: no such topic", root(e));
        }
        if (find(e, UnsupportedVersionException.class) != null) {
            return new SinkRefusedException("kafka refused: the broker does not support this producer", root(e));
        }
        TimeoutException t = find(e, TimeoutException.class);
        if (t != null && topic != null && String.valueOf(t.getMessage()).contains("not present in metadata")
                && Boolean.TRUE.equals(topicMissing.apply(topic))) {
            return new SinkRefusedException("kafka refused: no such topic",
                    "topic " + topic + " does not exist (or the sink may not describe it); create it or fix topic");
        }
        return new SinkUnavailableException("kafka: " + root(e), e);
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String root(Throwable e) {
        Throwable r = e;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getClass().getSimpleName() + ": " + r.getMessage();
    }
}
