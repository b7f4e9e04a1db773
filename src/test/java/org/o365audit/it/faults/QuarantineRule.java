package org.o365audit.it.faults;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * The contract the fault suite holds the collector to, for one element of a blob: it is quarantined when
 * its bytes are not valid UTF-8, not one JSON value, or not an object; when its Id is missing, blank, not
 * a string or number, or longer than 512 characters (the {@code id} column is VARCHAR(512)); or when any
 * string in it, key or value at any depth, holds U+0000 or an unpaired surrogate (PostgreSQL refuses both
 * in text and jsonb). Everything else is stored: derived columns are capped or left empty, the raw JSON
 * is kept. Parser size limits are lifted on purpose: the contract says nothing about sizes.
 */
public final class QuarantineRule {
    static final int MAX_ID_LENGTH = 512;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build());

    private QuarantineRule() {
    }

    /** The Id the element must be stored under, or empty when it must be quarantined. */
    public static Optional<String> storedId(byte[] element) {
        return parseObject(element)
                .filter(QuarantineRule::everyStringStorable)
                .map(record -> record.get("Id"))
                .filter(id -> id.isTextual() || id.isNumber())
                .map(JsonNode::asText)
                .filter(id -> !id.isBlank() && id.codePointCount(0, id.length()) <= MAX_ID_LENGTH);
    }

    private static Optional<JsonNode> parseObject(byte[] element) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(element)).toString();
            try (JsonParser parser = JSON.createParser(text)) {
                JsonNode tree = JSON.readTree(parser);
                boolean alone = parser.nextToken() == null;
                return tree != null && tree.isObject() && alone ? Optional.of(tree) : Optional.empty();
            }
        } catch (IOException e) {   // CharacterCodingException (not UTF-8) included
            return Optional.empty();
        }
    }

    /** Walks keys and values without recursion, so deeply nested input cannot overflow the stack. */
    private static boolean everyStringStorable(JsonNode root) {
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode node = todo.pop();
            if (node.isTextual() && !storable(node.textValue())) {
                return false;
            }
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (!storable(field.getKey())) {
                        return false;
                    }
                    todo.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(todo::push);
            }
        }
        return true;
    }

    private static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
