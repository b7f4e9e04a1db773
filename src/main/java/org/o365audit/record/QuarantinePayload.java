package org.o365audit.record;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The complete input of a quarantined element as the quarantine table can keep it: as text when it is
 * valid UTF-8 that PostgreSQL can store, otherwise (invalid UTF-8, U+0000) as Base64 of the exact bytes,
 * with {@code encoding} saying which. Nothing of the input is lost either way.
 */
public record QuarantinePayload(String text, String encoding) {
    public static final String BASE64 = "base64";

    public static QuarantinePayload of(byte[] bytes) {
        if (bytes == null) {
            return new QuarantinePayload(null, null);
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (!Texts.unstorable(s)) {
                return new QuarantinePayload(s, null);
            }
        } catch (CharacterCodingException notUtf8) {
            // kept as Base64 below
        }
        return new QuarantinePayload(Base64.getEncoder().encodeToString(bytes), BASE64);
    }

    public static QuarantinePayload of(String s) {
        if (s == null || !Texts.unstorable(s)) {
            return new QuarantinePayload(s, null);
        }
        return new QuarantinePayload(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)), BASE64);
    }
}
