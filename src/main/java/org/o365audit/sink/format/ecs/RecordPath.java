package org.o365audit.sink.format.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path into a record: {@code Field}, {@code Field.Sub}, {@code List[].Field} (every element) and
 * {@code List[Name=X].Value} (the element whose Name is X, as Parameters and ExtendedProperties hold them). A step
 * into a string that holds a JSON object reads that object, as the Data field of some workloads needs.
 */
final class RecordPath {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]=]+)(\\[(?:([^=\\]]+)=([^\\]]*))?\\])?");
    private static final int MAX_EMBEDDED_JSON = 1 << 20;
    private static final JsonNode MISSING = JSON.missingNode();

    private final String text;
    private final List<Step> steps;

    private record Step(String name, boolean each, String key, String keyValue) {
    }

    private RecordPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = steps;
    }

    static RecordPath parse(String text) {
        List<Step> steps = new ArrayList<>();
        for (String part : text.split("\\.", -1)) {
            Matcher m = STEP.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a record path (Field, Field.Sub, List[].Field or List[Name=X].Value)");
            }
            steps.add(new Step(m.group(1), m.group(2) != null && m.group(3) == null, m.group(3), m.group(4)));
        }
        return new RecordPath(text, List.copyOf(steps));
    }

    /** One plain top-level name: read from the record's streaming pass without a tree. */
    boolean isTopLevel() {
        Step s = steps.get(0);
        return steps.size() == 1 && !s.each() && s.key() == null;
    }

    String topLevelName() {
        return steps.get(0).name();
    }

    @Override
    public String toString() {
        return text;
    }

    /** The nodes the path reaches, given the value of its top-level field (null when the record lacks it). */
    List<JsonNode> fromTop(JsonNode top) {
        List<JsonNode> current = List.of(MISSING);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                JsonNode child = i == 0 ? top : objectOf(n).get(step.name());
                if (child == null || child.isNull()) {
                    continue;
                }
                if (step.each()) {
                    if (child.isArray()) {
                        child.forEach(next::add);
                    }
                } else if (step.key() != null) {
                    if (!child.isArray()) {
                        continue;
                    }
                    for (JsonNode e : child) {
                        JsonNode k = e.get(step.key());
                        if (k != null && step.keyValue().equals(k.asText())) {
                            next.add(e);
                        }
                    }
                } else {
                    next.add(child);
                }
            }
            current = next;
        }
        return current;
    }

    /** Text values of the scalars the path reaches from its top-level value; a list at the end gives its elements. */
    List<String> texts(JsonNode top) {
        List<String> out = new ArrayList<>(2);
        for (JsonNode n : fromTop(top)) {
            if (n.isArray()) {
                n.forEach(e -> addScalar(out, e));
            } else {
                addScalar(out, n);
            }
        }
        return out;
    }

    private static void addScalar(List<String> out, JsonNode n) {
        if (n.isValueNode() && !n.isNull()) {
            String t = n.asText();
            if (!t.isBlank()) {
                out.add(t);
            }
        }
    }

    /** An object, or a string holding one (read on the spot), or nothing. */
    private static JsonNode objectOf(JsonNode n) {
        if (n.isObject()) {
            return n;
        }
        if (n.isTextual()) {
            String t = n.asText().trim();
            if (t.startsWith("{") && t.length() <= MAX_EMBEDDED_JSON) {
                try {
                    JsonNode parsed = JSON.readTree(t);
                    if (parsed != null && parsed.isObject()) {
                        return parsed;
                    }
                } catch (IOException e) {
                    // not JSON after all: the step finds nothing, like any missing field
                }
            }
        }
        return JSON.missingNode();
    }
}
