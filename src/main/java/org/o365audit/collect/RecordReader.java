package org.o365audit.collect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import org.o365audit.record.Texts;

/**
 * Reads one element of a blob in a single streaming pass, without a tree: it checks the whole element's
 * syntax with the very parser (and settings) the tree reader uses, keeps the few top-level values
 * enrichment needs and finds the first key or string PostgreSQL cannot store. Whatever it does not accept
 * as one JSON object alone, it leaves to the tree reader, which says why.
 * <p>
 * Strings are looked into only when the element has an escape that can make U+0000 or a surrogate
 * ({@code \u0000}, {@code \uD800} to {@code \uDFFF}): the parser refuses a raw control character and the
 * strict UTF-8 decoding before it refuses an encoded surrogate, so without such an escape no string can hold one.
 */
final class RecordReader {
    private final ObjectReader reader;
    private final ObjectReader subtree;
    private final boolean streams;
    private final boolean rawControls;
    private final int maxStringLength;

    /** {@code reader} reads an element as a tree (with FAIL_ON_TRAILING_TOKENS): the parser is made alike. */
    RecordReader(ObjectReader reader) {
        this.reader = reader;
        this.subtree = reader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // the tree would refuse a key given twice: only it can tell
        this.streams = !reader.isEnabled(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        this.rawControls = reader.isEnabled(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS.mappedFeature());
        // a string value the pass skips is not measured: one that may be too long for the tree is left to it
        this.maxStringLength = reader.getFactory().streamReadConstraints().getMaxStringLength();
    }

    /** The fields of an element that is one JSON object, or null when it may not be (the tree reader tells). */
    RecordFields read(String raw) throws IOException {
        if (!streams || raw.isEmpty() || raw.charAt(0) != '{' || raw.length() > maxStringLength) {
            return null;
        }
        boolean inspect = rawControls || mayEscapeUnstorable(raw);
        RecordFields.Value[] values = new RecordFields.Value[RecordFields.NAMES.size()];
        String unstorableAt = null;
        try (JsonParser p = reader.createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    return null;
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        String key = p.currentName();
                        if (inspect && unstorableAt == null && Texts.unstorable(key)) {
                            unstorableAt = path(p.getParsingContext());
                        }
                        int slot = depth == 1 ? RecordFields.slot(key) : -1;
                        if (slot >= 0) {
                            p.nextToken();
                            JsonNode tree = needsTree(p) ? subtree.readValue(p) : null;
                            values[slot] = tree != null ? RecordFields.Value.of(tree) : scalar(p);
                            if (inspect && unstorableAt == null) {
                                unstorableAt = tree != null ? RecordFields.unstorableText(tree, "." + key)
                                        : p.currentToken() == JsonToken.VALUE_STRING && Texts.unstorable(p.getText()) ? "." + key : null;
                            }
                        }
                    }
                    case VALUE_STRING -> {
                        if (inspect && unstorableAt == null && Texts.unstorable(p.getText())) {
                            unstorableAt = path(p.getParsingContext());
                        }
                    }
                    default -> {
                        // numbers, booleans and nulls outside the fields read: the parser has checked their syntax
                    }
                }
            }
            if (p.nextToken() != null) {
                return null;   // trailing tokens
            }
        }
        return RecordFields.of(values, unstorableAt);
    }

    /** Objects, arrays and numbers other than an int are read as the tree reads them, for the same text. */
    private static boolean needsTree(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY || t == JsonToken.VALUE_NUMBER_FLOAT
                || t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.INT;
    }

    /** A string, an int, a boolean or null (no value), with the text the tree's node gives. */
    private static RecordFields.Value scalar(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> new RecordFields.Value(JsonNodeType.STRING, p.getText(), null);
            case VALUE_NUMBER_INT -> {
                int i = p.getIntValue();
                yield new RecordFields.Value(JsonNodeType.NUMBER, Integer.toString(i), i);
            }
            case VALUE_TRUE -> new RecordFields.Value(JsonNodeType.BOOLEAN, "true", null);
            case VALUE_FALSE -> new RecordFields.Value(JsonNodeType.BOOLEAN, "false", null);
            case VALUE_NULL -> null;
            default -> throw new IllegalStateException("not a scalar: " + p.currentToken());
        };
    }

    /** The path of the current key or value as the tree walk names it: .Key, [index], .Outer.inner[2]. */
    private static String path(JsonStreamContext c) {
        if (c == null || c.inRoot()) {
            return "";
        }
        return path(c.getParent()) + (c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
    }

    /**
     * True when the text has an escape that may stand for U+0000 or a surrogate: {@code \u0000} or
     * {@code \uD800}-{@code \uDFFF} in either case. An escaped backslash before a 'u' may make it say true
     * needlessly, never false wrongly.
     */
    static boolean mayEscapeUnstorable(String raw) {
        for (int i = raw.indexOf("\\u"); i >= 0; i = raw.indexOf("\\u", i + 2)) {
            if (i + 5 >= raw.length()) {
                return true;
            }
            char a = raw.charAt(i + 2);
            char b = raw.charAt(i + 3);
            if (a == '0' && b == '0' && raw.charAt(i + 4) == '0' && raw.charAt(i + 5) == '0') {
                return true;
            }
            if ((a == 'd' || a == 'D') && (b >= '8' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F')) {
                return true;
            }
        }
        return false;
    }
}
