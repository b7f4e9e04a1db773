package org.o365audit.it.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic mutations of every real record ({@link CorpusRecords}): each top-level field swapped to
 * every other JSON type, each dropped, each non-empty string made 1000 times longer or given invalid UTF-8,
 * and the record replaced by something that is not an object. Every mutation carries a fresh Id (unless it
 * mutates the Id), so none collides with another or with the corpus; its expectation follows from
 * {@link QuarantineRule}.
 */
public final class CorpusMutations {
    static final int LENGTHEN_FACTOR = 1000;
    /** Broken sequences: bad continuation, a byte UTF-8 never uses, overlong NUL, an encoded surrogate. */
    static final List<byte[]> INVALID_UTF8 = List.of(
            new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});

    public enum Kind { TYPE_SWAPPED, FIELD_DROPPED, STRING_LENGTHENED, INVALID_UTF8, NOT_AN_OBJECT }

    /** The JSON types a field is swapped between, and the shapes an element takes instead of an object. */
    enum Shape { STRING, NUMBER, OBJECT, ARRAY, NULL, BOOLEAN }

    /** One mutation: the corpus line it comes from, what was done, to which top-level field (null for NOT_AN_OBJECT). */
    public record Mutation(String source, Kind kind, String field, Element element) {
    }

    private record Candidate(CorpusRecords.Line line, Kind kind, String field, Shape shape) {
    }

    private CorpusMutations() {
    }

    /**
     * At most {@code max} mutations, drawn from every kind in turn (each kind's candidates shuffled by the
     * seed) so a small sample still holds every kind. The same seed gives the same mutations, and a larger
     * {@code max} only adds to the end. All are built in memory: lengthened strings make some a few MB.
     */
    public static List<Mutation> sample(long seed, int max) {
        Random random = new Random(seed);
        Map<Kind, Iterator<Candidate>> byKind = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            List<Candidate> candidates = new ArrayList<>(candidates(kind));
            Collections.shuffle(candidates, random);
            byKind.put(kind, candidates.iterator());
        }
        FreshIds ids = new FreshIds("mutation/" + seed);
        List<Mutation> out = new ArrayList<>();
        while (out.size() < max && byKind.values().stream().anyMatch(Iterator::hasNext)) {
            for (Iterator<Candidate> it : byKind.values()) {
                if (it.hasNext() && out.size() < max) {
                    out.add(mutate(it.next(), ids, Integer.toString(out.size()), random));
                }
            }
        }
        return out;
    }

    private static List<Candidate> candidates(Kind kind) {
        List<Candidate> out = new ArrayList<>();
        for (CorpusRecords.Line line : CorpusRecords.all()) {
            if (kind == Kind.NOT_AN_OBJECT) {
                for (Shape shape : Shape.values()) {
                    if (shape != Shape.OBJECT) {
                        out.add(new Candidate(line, kind, null, shape));
                    }
                }
                continue;
            }
            ObjectNode record = withId(line, "placeholder");
            for (String field : (Iterable<String>) record::fieldNames) {
                JsonNode value = record.get(field);
                boolean nonEmptyString = value.isTextual() && !value.textValue().isEmpty();
                switch (kind) {
                    case TYPE_SWAPPED -> List.of(Shape.STRING, Shape.NUMBER, Shape.OBJECT, Shape.ARRAY, Shape.NULL).stream()
                            .filter(s -> s != shapeOf(value))
                            .forEach(s -> out.add(new Candidate(line, kind, field, s)));
                    case FIELD_DROPPED -> out.add(new Candidate(line, kind, field, null));
                    default -> {
                        if (nonEmptyString) {
                            out.add(new Candidate(line, kind, field, null));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Mutation mutate(Candidate c, FreshIds ids, String key, Random random) {
        ObjectNode record = withId(c.line(), ids.uuid(key));
        String name = c.line().source() + " " + c.kind() + (c.field() == null ? "" : " " + c.field()) + (c.shape() == null ? "" : " → " + c.shape());
        byte[] bytes = switch (c.kind()) {
            case TYPE_SWAPPED -> utf8(record.set(c.field(), swapped(record.get(c.field()), c, ids.number(key), random)));
            case FIELD_DROPPED -> utf8(record.without(c.field()));
            case STRING_LENGTHENED -> utf8(record.put(c.field(), record.get(c.field()).textValue().repeat(LENGTHEN_FACTOR)));
            case INVALID_UTF8 -> HostileElements.splice(CorpusRecords.write(record.put(c.field(), marked(record.get(c.field()).textValue(), random))),
                    INVALID_UTF8.get(random.nextInt(INVALID_UTF8.size())));
            case NOT_AN_OBJECT -> utf8(notAnObject(record, c.shape(), random));
        };
        return new Mutation(c.line().source(), c.kind(), c.field(), Element.judged(name, bytes));
    }

    private static ObjectNode withId(CorpusRecords.Line line, String id) {
        return line.object().put("Id", id);
    }

    /**
     * The field's value as another type, keeping what it held where the type allows. An Id made a number
     * gets a fresh numeric Id, since a number is a valid Id.
     */
    private static JsonNode swapped(JsonNode value, Candidate c, long numericId, Random random) {
        return switch (c.shape()) {
            case STRING -> TextNode.valueOf(value.isContainerNode() ? CorpusRecords.write(value) : value.asText());
            case NUMBER -> "Id".equals(c.field()) ? LongNode.valueOf(numericId) : number(random);
            case OBJECT -> CorpusRecords.JSON.createObjectNode().set("value", value);
            case ARRAY -> CorpusRecords.JSON.createArrayNode().add(value);
            case NULL -> NullNode.getInstance();
            case BOOLEAN -> throw new IllegalArgumentException("fields are not swapped to booleans");
        };
    }

    /** Numbers the enricher may trip on: beyond int, negative, plain, decimal. */
    private static JsonNode number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> LongNode.valueOf(random.nextLong());
            case 1 -> IntNode.valueOf(-1 - random.nextInt(1000));
            case 2 -> IntNode.valueOf(random.nextInt(100_000));
            default -> DecimalNode.valueOf(BigDecimal.valueOf(random.nextInt(100_000), 3));
        };
    }

    private static JsonNode notAnObject(ObjectNode record, Shape shape, Random random) {
        return switch (shape) {
            case STRING -> TextNode.valueOf(CorpusRecords.write(record));
            case NUMBER -> number(random);
            case ARRAY -> CorpusRecords.JSON.createArrayNode().add(record);
            case NULL -> NullNode.getInstance();
            case BOOLEAN -> BooleanNode.TRUE;
            case OBJECT -> throw new IllegalArgumentException("an object is not a non-object");
        };
    }

    /** {@code s} with {@link HostileElements#MARK} at a seeded place that does not split a surrogate pair. */
    private static String marked(String s, Random random) {
        int at = random.nextInt(s.length() + 1);
        if (at > 0 && at < s.length() && Character.isLowSurrogate(s.charAt(at))) {
            at--;
        }
        return s.substring(0, at) + HostileElements.MARK + s.substring(at);
    }

    private static Shape shapeOf(JsonNode value) {
        if (value.isTextual()) {
            return Shape.STRING;
        } else if (value.isNumber()) {
            return Shape.NUMBER;
        } else if (value.isObject()) {
            return Shape.OBJECT;
        } else if (value.isArray()) {
            return Shape.ARRAY;
        }
        return value.isNull() ? Shape.NULL : Shape.BOOLEAN;
    }

    private static byte[] utf8(JsonNode node) {
        return CorpusRecords.write(node).getBytes(StandardCharsets.UTF_8);
    }
}
