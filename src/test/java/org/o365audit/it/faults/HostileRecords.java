package org.o365audit.it.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Hostile audit records for one tenant, each a named case with what the collector must do with it
 * ({@link QuarantineRule} states the rule; the labels here are written by hand so a test can hold the
 * two against each other). Every record has an Id of its own, derived from tenant, seed and case name,
 * unless the case is about the Id. {@link #textCases} can be written as JSON text; {@link HostileElements}
 * holds the byte-level ones.
 */
public final class HostileRecords {
    static final int KB = 1024;
    static final int FIELD_COUNT = 5000;
    static final int NESTING_DEPTH = 200;
    static final int LONG_ID_LENGTH = 600;

    private HostileRecords() {
    }

    /** Text cases followed by byte-level cases. */
    public static List<Element> all(String tenantId, long seed) {
        return Stream.concat(textCases(tenantId, seed).stream(), HostileElements.cases(tenantId, seed).stream()).toList();
    }

    /** The cases that are JSON text ({@link Element#text()} gives it back exactly). */
    public static List<Element> textCases(String tenantId, long seed) {
        Cases c = new Cases(tenantId, seed);
        for (String field : List.of("Workload", "Operation", "UserId", "ClientIP")) {
            for (int kb : List.of(100, 200)) {
                c.stored(field + " of " + kb + " KB", t -> t.with(field, RecordTemplate.quote(filler(kb * KB))));
            }
        }
        for (String field : List.of("Operation", "UserId", "Workload")) {
            c.stored(field + " as an object", t -> t.with(field, "{\"Name\":\"Set-Mailbox\",\"Value\":[1,2]}"));
            c.stored(field + " as an array", t -> t.with(field, "[\"Set-Mailbox\",{\"x\":null}]"));
        }
        c.stored("RecordType 99999999999 (overflows int)", t -> t.with("RecordType", "99999999999"));
        c.stored("RecordType -5", t -> t.with("RecordType", "-5"));
        c.stored("RecordType \"ExchangeAdmin\"", t -> t.with("RecordType", "\"ExchangeAdmin\""));
        c.stored("RecordType \"15\"", t -> t.with("RecordType", "\"15\""));
        for (String time : List.of("garbage", "+999999999-12-31T23:59:59", "9999-12-31T23:59:59", "0001-01-01T00:00:00")) {
            c.stored("CreationTime " + time, t -> t.with("CreationTime", RecordTemplate.quote(time)));
        }
        c.stored("CreationTime missing", t -> t.without("CreationTime"));
        c.numericId("Id as a JSON number");
        c.quarantined("Id of " + LONG_ID_LENGTH + " characters", (t, id) -> t.with("Id", RecordTemplate.quote(longId(id))));
        c.quarantined("Id as an object", (t, id) -> t.with("Id", "{\"Id\":" + RecordTemplate.quote(id) + "}"));
        c.quarantined("Id missing", (t, id) -> t.without("Id"));
        c.quarantined("Id \"\"", (t, id) -> t.with("Id", "\"\""));
        c.quarantined("Id blank", (t, id) -> t.with("Id", "\" \\t \""));
        c.quarantined("Id null", (t, id) -> t.with("Id", "null"));
        c.quarantined("\\u0000 in a value", (t, id) -> t.with("Operation", "\"Set-\\u0000Mailbox\""));
        c.quarantined("\\u0000 in a nested key", (t, id) -> t.with("Parameters", "[{\"Na\\u0000me\":\"Identity\"}]"));
        c.quarantined("unpaired surrogate \\ud800 in a nested value", (t, id) -> t.with("Parameters",
                "[{\"Name\":\"Identity\",\"Value\":\"Lidia\\ud800@contoso.onmicrosoft.com\"}]"));
        c.stored("terminal escapes in Operation and UserId", t -> t
                .with("Operation", "\"\\u001b[31mSet-Mailbox\\u001b[0m\\u001b]0;title\\u0007\"")
                .with("UserId", "\"\\u001b]0;title\\u0007stinger@contoso.onmicrosoft.com\\u001b[31m\""));
        c.stored(FIELD_COUNT + " fields", HostileRecords::fiveThousandFields);
        c.stored("nesting depth " + NESTING_DEPTH, t -> t.with("Nested", nested(NESTING_DEPTH - 1)));
        c.stored("non-ASCII values", t -> t
                .with("Operation", RecordTemplate.quote("Set-Mailbox 😀🔥"))
                .with("UserId", RecordTemplate.quote("山田太郎@contoso.onmicrosoft.com"))
                .with("ObjectId", RecordTemplate.quote("مستخدم \u202Egnp.exe \u05E9\u05DC\u05D5\u05DD"))
                .with("Parameters", "[{\"Name\":\"Identity\",\"Value\":\"\\ud83d\\ude00 Zoë Ω\"}]"));
        return c.list;
    }

    /** ASCII text of exactly {@code n} characters (so n bytes), varied enough not to look like one repeated byte. */
    static String filler(int n) {
        StringBuilder s = new StringBuilder(n);
        while (s.length() < n) {
            s.append("Set-Mailbox ").append(s.length()).append(' ');
        }
        s.setLength(n);
        return s.toString();
    }

    private static String longId(String id) {
        return id + "-" + filler(LONG_ID_LENGTH - id.length() - 1);
    }

    private static RecordTemplate fiveThousandFields(RecordTemplate t) {
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = t.size(); i < FIELD_COUNT; i++) {
            extra.put(String.format("Extra%04d", i), i % 2 == 0 ? "\"value " + i + "\"" : String.valueOf(i));
        }
        return t.with(extra);
    }

    /** Objects and arrays in turn, {@code levels} deep below the field that holds them. */
    private static String nested(int levels) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int level = 0; level < levels; level++) {
            boolean object = level % 2 == 0;
            open.append(object ? "{\"level\":" : "[");
            close.insert(0, object ? "}" : "]");
        }
        return open + "\"bottom\"" + close;
    }

    /** Collects cases; each gets the template with its own fresh Id. */
    private static final class Cases {
        private final String tenantId;
        private final FreshIds ids;
        private final List<Element> list = new ArrayList<>();

        Cases(String tenantId, long seed) {
            this.tenantId = tenantId;
            this.ids = new FreshIds("hostile/" + tenantId + "/" + seed);
        }

        void stored(String name, UnaryOperator<RecordTemplate> change) {
            String id = ids.uuid(name);
            list.add(Element.stored(name, change.apply(RecordTemplate.exchange(tenantId, id)).json(), id));
        }

        void quarantined(String name, BiFunction<RecordTemplate, String, RecordTemplate> change) {
            String id = ids.uuid(name);
            list.add(Element.quarantined(name, change.apply(RecordTemplate.exchange(tenantId, id), id).json()));
        }

        void numericId(String name) {
            String id = Long.toString(ids.number(name));
            list.add(Element.stored(name, RecordTemplate.exchange(tenantId, "").with("Id", id).json(), id));
        }
    }
}
