package org.o365audit.sink.format.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.o365audit.sink.SinkRecord;

/**
 * One record as the rules read it: a plain top-level field comes from the record's one streaming pass, and the
 * parsed tree is built only when a rule that applies reaches into a nested field, a list or an object.
 */
final class RecordView {
    private final SinkRecord record;
    private Map<String, JsonNode> tops;

    RecordView(SinkRecord record) {
        this.record = record;
    }

    SinkRecord record() {
        return record;
    }

    /** The non-blank text values the path reaches, in order. */
    List<String> texts(RecordPath path) {
        String v = record.field(path.topLevelName());
        if (v == null) {
            return List.of();   // nothing there: no need to parse the record
        }
        if (path.isTopLevel() && !v.isEmpty()) {
            return v.isBlank() ? List.of() : List.of(v);
        }
        // nested, or "" (an empty string, an object or a list): only the value's tree tells
        return path.texts(top(path.topLevelName()));
    }

    /** Whether the path reaches a non-blank scalar or a non-empty object or list. */
    boolean present(RecordPath path) {
        String v = record.field(path.topLevelName());
        if (v == null) {
            return false;
        }
        if (path.isTopLevel() && !v.isEmpty()) {
            return !v.isBlank();
        }
        for (JsonNode n : path.fromTop(top(path.topLevelName()))) {
            if (n.isContainerNode() ? n.size() > 0 : !n.asText().isBlank()) {
                return true;
            }
        }
        return false;
    }

    /** A top-level field's value as a tree, parsed once per record and only from its own stretch of the JSON. */
    private JsonNode top(String name) {
        if (tops == null) {
            tops = new HashMap<>(4);
        }
        return tops.computeIfAbsent(name, record::fieldTree);
    }
}
