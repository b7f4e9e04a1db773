package org.o365audit.it.faults;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An Exchange Set-Mailbox record shaped like the API's (as TestRecords'), held as field → raw JSON value
 * text, so a case can put in exactly the bytes it is about (an escape such as {@code \u0000}, a number too
 * big for an int) where a JSON library would normalise or refuse them. Immutable.
 */
final class RecordTemplate {
    static final String CREATION_TIME = "2024-03-01T11:55:00";
    private final Map<String, String> fields;

    private RecordTemplate(Map<String, String> fields) {
        this.fields = fields;
    }

    static RecordTemplate exchange(String tenantId, String id) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("CreationTime", quote(CREATION_TIME));
        f.put("Id", quote(id));
        f.put("Operation", quote("Set-Mailbox"));
        f.put("OrganizationId", quote(tenantId));
        f.put("RecordType", "1");
        f.put("ResultStatus", quote("True"));
        f.put("UserKey", quote("10032002643F6746"));
        f.put("UserType", "2");
        f.put("Version", "1");
        f.put("Workload", quote("Exchange"));
        f.put("ClientIP", quote("[2a09:bac5:111:105::1a:89]:25138"));
        f.put("ObjectId", quote("f23cb258-50ca-4092-9027-5c4ca2f1d999"));
        f.put("UserId", quote("stinger@contoso.onmicrosoft.com"));
        f.put("Parameters", "[{\"Name\":\"Identity\",\"Value\":\"Lidia@contoso.onmicrosoft.com\"}]");
        return new RecordTemplate(f);
    }

    /** A copy with {@code field} set to the raw JSON value text (added at the end when new). */
    RecordTemplate with(String field, String rawJsonValue) {
        Map<String, String> f = new LinkedHashMap<>(fields);
        f.put(field, rawJsonValue);
        return new RecordTemplate(f);
    }

    /** A copy with {@code more} fields (field → raw JSON value text) set, in their order. */
    RecordTemplate with(Map<String, String> more) {
        Map<String, String> f = new LinkedHashMap<>(fields);
        f.putAll(more);
        return new RecordTemplate(f);
    }

    RecordTemplate without(String field) {
        Map<String, String> f = new LinkedHashMap<>(fields);
        f.remove(field);
        return new RecordTemplate(f);
    }

    int size() {
        return fields.size();
    }

    String json() {
        return fields.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** A JSON string literal, escaped as JSON requires. */
    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
