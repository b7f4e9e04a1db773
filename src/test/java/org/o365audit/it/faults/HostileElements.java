package org.o365audit.it.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hostile blob elements that no Java String can carry (bytes that are not UTF-8, a raw control character
 * JSON forbids) and elements that are valid JSON but not a record. All must be quarantined, each on its
 * own, with their bytes kept. Those that wrap a record give it a fresh Id, so if one were stored anyway
 * the suite sees an Id it did not expect.
 */
public final class HostileElements {
    /** 0xC3 opens a two-byte sequence that '(' cannot continue; 0xFF never occurs in UTF-8. */
    static final byte[] INVALID_UTF8 = {(byte) 0xC3, 0x28, (byte) 0xFF};
    static final byte CONTROL = 0x01;
    /** Stands in a string for the raw bytes {@link #splice} puts there; nothing JSON escapes. */
    static final String MARK = "<<bytes>>";

    private HostileElements() {
    }

    public static List<Element> cases(String tenantId, long seed) {
        FreshIds ids = new FreshIds("hostile-bytes/" + tenantId + "/" + seed);
        return List.of(
                Element.quarantined("invalid UTF-8 (C3 28, FF) in a value",
                        splice(userIdWith(tenantId, ids.uuid("invalid UTF-8")), INVALID_UTF8)),
                Element.quarantined("raw control character 0x01 in a value",
                        splice(userIdWith(tenantId, ids.uuid("control character")), new byte[] {CONTROL})),
                Element.quarantined("bare string element",
                        RecordTemplate.quote(RecordTemplate.exchange(tenantId, ids.uuid("bare string")).json())),
                Element.quarantined("number element", "1234567"),
                Element.quarantined("null element", "null"),
                Element.quarantined("nested array element",
                        "[" + RecordTemplate.exchange(tenantId, ids.uuid("nested array")).json() + "]"));
    }

    /** A record whose UserId holds {@link #MARK} where the raw bytes go. */
    private static String userIdWith(String tenantId, String id) {
        return RecordTemplate.exchange(tenantId, id).with("UserId", RecordTemplate.quote("stin" + MARK + "ger@contoso.onmicrosoft.com")).json();
    }

    /** The UTF-8 of {@code json} with the one {@link #MARK} in it replaced by {@code raw}. */
    static byte[] splice(String json, byte[] raw) {
        int at = json.indexOf(MARK);
        if (at < 0 || json.indexOf(MARK, at + 1) >= 0) {
            throw new IllegalArgumentException("need exactly one " + MARK + " in " + json);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() + raw.length);
        out.writeBytes(json.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(raw);
        out.writeBytes(json.substring(at + MARK.length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
