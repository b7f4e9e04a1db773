package org.o365audit.sink.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Embeds a record's JSON byte for byte, so the receiver sees exactly what Microsoft sent (Splunk's _raw,
 * a webhook consumer's own parse). Raw text that is not one JSON value would break the whole body, so it
 * goes in as a JSON string instead.
 */
final class RawJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private RawJson() {
    }

    static void write(JsonGenerator g, String raw) throws IOException {
        if (isOneValue(raw)) {
            g.writeRawValue(raw.strip());
        } else {
            g.writeString(raw);
        }
    }

    static boolean isOneValue(String raw) {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        try (JsonParser p = FACTORY.createParser(raw)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
