package org.o365audit.sink;

import java.util.regex.Pattern;

/**
 * Kafka topic names as the kafka sink makes them from a {@code topic-expression}: Kafka takes only
 * {@code [a-zA-Z0-9._-]}, at most 249 characters, and neither "." nor "..". Every other character becomes "_"
 * (so {@code o365.Azure AD} is sent to {@code o365.Azure_AD}), a longer name is cut to 249; what is left empty,
 * "." or ".." is no topic (null), and the record goes to the sink's {@code topic} instead.
 */
public final class KafkaTopics {
    public static final int MAX_LENGTH = 249;
    private static final Pattern ILLEGAL = Pattern.compile("[^a-zA-Z0-9._-]");

    private KafkaTopics() {
    }

    /** The legal topic name for {@code raw}, or null when nothing usable is left. */
    public static String sanitize(String raw) {
        if (raw == null) {
            return null;
        }
        String t = ILLEGAL.matcher(raw.trim()).replaceAll("_");
        if (t.length() > MAX_LENGTH) {
            t = t.substring(0, MAX_LENGTH);
        }
        return t.isEmpty() || t.equals(".") || t.equals("..") ? null : t;
    }
}
