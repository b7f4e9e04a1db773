package org.o365audit.sink.format.ecs;

import java.util.List;
import java.util.Set;
import org.o365audit.sink.SinkRecord;

/** Where a rule takes its values from: a record path, an ECS field set before ({@code @name}) or the collector. */
sealed interface Source {
    Set<String> COLLECTOR = Set.of("$tenantName", "$tenantId", "$recordTypeName", "$workload");

    List<String> values(RecordView record, EcsFields doc);

    static Source parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty source");
        }
        if (text.startsWith("@")) {
            return new Field(FieldNames.check(text.substring(1)));
        }
        if (text.startsWith("$")) {
            if (!COLLECTOR.contains(text)) {
                throw new IllegalArgumentException("unknown source '" + text + "' (known: " + String.join(", ", COLLECTOR.stream().sorted().toList()) + ")");
            }
            return new Collector(text);
        }
        return new Path(RecordPath.parse(text));
    }

    /** What another rule's field depends on, for the check that it is set earlier; null for record paths. */
    default String field() {
        return null;
    }

    record Path(RecordPath path) implements Source {
        @Override
        public List<String> values(RecordView record, EcsFields doc) {
            return record.texts(path);
        }
    }

    record Field(String name) implements Source {
        @Override
        public List<String> values(RecordView record, EcsFields doc) {
            return doc.all(name);
        }

        @Override
        public String field() {
            return name;
        }
    }

    record Collector(String name) implements Source {
        @Override
        public List<String> values(RecordView record, EcsFields doc) {
            SinkRecord r = record.record();
            String v = switch (name) {
                case "$tenantName" -> r.getTenantName();
                case "$tenantId" -> r.getTenantId();
                case "$recordTypeName" -> r.getRecordTypeName();
                default -> r.getWorkload();
            };
            return v == null || v.isBlank() ? List.of() : List.of(v);
        }
    }
}
