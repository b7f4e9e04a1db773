package org.o365audit.sink.format.ecs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.o365audit.sink.SinkRecord;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The ECS mapping table (config/ecs-mapping.yaml), checked and compiled: field rules in order, then the event
 * table. Checked when the collector starts, so a mistake stops it with the rule's number and the key at fault
 * rather than sending documents that detections silently miss.
 */
public final class EcsMapping {
    /** The table shipped with the collector, in the jar as a copy of config/ecs-mapping.yaml. */
    public static final String DEFAULT_RESOURCE = "/o365/ecs-mapping.yaml";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Set<String> FIXED = Set.of("@timestamp", "ecs.version", "event.dataset");
    private static volatile EcsMapping defaults;

    private final List<FieldRule> fields;
    private final List<EventRule> events;
    private final Set<String> arrays;
    private final Set<String> numbers;
    private final Set<String> written;
    private final Layout layout;

    private EcsMapping(List<FieldRule> fields, List<EventRule> events, Set<String> arrays, Set<String> numbers,
                       Set<String> written) {
        this.fields = fields;
        this.events = events;
        this.arrays = arrays;
        this.numbers = numbers;
        this.written = written;
        this.layout = new Layout(written);
    }

    /** The shipped table. */
    public static EcsMapping defaults() {
        EcsMapping d = defaults;
        if (d == null) {
            try (InputStream in = EcsMapping.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the jar has no " + DEFAULT_RESOURCE);
                }
                d = load(in, "classpath:" + DEFAULT_RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            defaults = d;
        }
        return d;
    }

    /** Reads and checks a table; {@code origin} names it in error messages. */
    public static EcsMapping load(InputStream in, String origin) {
        Object tree;
        try {
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (RuntimeException e) {
            throw new InvalidEcsMappingException(origin + " is not valid YAML: " + e.getMessage());
        }
        MappingFile file;
        try {
            file = JSON.convertValue(tree, MappingFile.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidEcsMappingException(origin + ": " + firstLine(e.getMessage()));
        }
        if (file == null || file.fields() == null || file.events() == null) {
            throw new InvalidEcsMappingException(origin + " needs 'fields' and 'events'");
        }
        Set<String> arrays = names(origin, "arrays", file.arrays());
        Set<String> numbers = names(origin, "numbers", file.numbers());
        Map<String, Map<String, String>> maps = file.maps() == null ? Map.of() : file.maps();
        List<FieldRule> fields = new ArrayList<>();
        Set<String> written = new HashSet<>(FIXED);
        for (int i = 0; i < file.fields().size(); i++) {
            String where = origin + ": fields[" + i + "]";
            try {
                FieldRule rule = FieldRule.parse(file.fields().get(i), maps);
                for (Source s : rule.reads()) {
                    if (s.field() != null && !written.contains(s.field())) {
                        throw new IllegalArgumentException("'@" + s.field() + "' is not set by any rule before this one");
                    }
                }
                written.addAll(rule.writes());
                fields.add(rule);
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new InvalidEcsMappingException(where + " (to: " + file.fields().get(i).get("to") + "): " + e.getMessage());
            }
        }
        List<EventRule> events = new ArrayList<>();
        for (int i = 0; i < file.events().size(); i++) {
            try {
                events.add(EventRule.parse(file.events().get(i)));
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new InvalidEcsMappingException(origin + ": events[" + i + "]: " + e.getMessage());
            }
        }
        written.addAll(List.of("event.action", "event.kind", "event.outcome", "event.category", "event.type"));
        noFieldInsideAnother(origin, written);
        return new EcsMapping(List.copyOf(fields), List.copyOf(events), arrays, numbers, Set.copyOf(written));
    }

    /** The ECS fields of one record. */
    public EcsFields map(SinkRecord record) {
        EcsFields doc = new EcsFields(layout, arrays, numbers);
        RecordView view = new RecordView(record);
        for (FieldRule rule : fields) {
            rule.apply(view, doc);
        }
        for (EventRule rule : events) {
            rule.apply(view, doc);
        }
        return doc;
    }

    /** Every ECS field the table can write (besides o365.audit and o365collector.*), for index templates. */
    public Set<String> fieldsWritten() {
        return written;
    }

    public int fieldRules() {
        return fields.size();
    }

    public int eventRules() {
        return events.size();
    }

    private static Set<String> names(String origin, String key, List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names == null ? List.<String>of() : names) {
            try {
                out.add(FieldNames.check(n));
            } catch (IllegalArgumentException e) {
                throw new InvalidEcsMappingException(origin + ": " + key + ": " + e.getMessage());
            }
        }
        return Set.copyOf(out);
    }

    /** "user" and "user.id" cannot both be values: Elasticsearch would refuse every document that had both. */
    private static void noFieldInsideAnother(String origin, Set<String> written) {
        for (String a : written) {
            for (String b : written) {
                if (b.startsWith(a + ".")) {
                    throw new InvalidEcsMappingException(origin + ": '" + a + "' is set as a value but '" + b + "' is inside it");
                }
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
