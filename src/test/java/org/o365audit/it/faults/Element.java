package org.o365audit.it.faults;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One element of a blob's JSON array as bytes (some hostile elements are not valid UTF-8, so not Strings),
 * with what must happen to it. {@code storedId} is the Id it must be stored under, null when quarantined.
 * The bytes are not copied: treat them as read-only.
 */
public record Element(String name, byte[] bytes, Expectation expectation, String storedId) {

    public Element {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(expectation, "expectation");
        if ((expectation == Expectation.STORED) != (storedId != null)) {
            throw new IllegalArgumentException(name + ": a stored element needs its Id, a quarantined one has none");
        }
    }

    static Element stored(String name, String json, String id) {
        return new Element(name, json.getBytes(StandardCharsets.UTF_8), Expectation.STORED, id);
    }

    static Element quarantined(String name, String json) {
        return quarantined(name, json.getBytes(StandardCharsets.UTF_8));
    }

    static Element quarantined(String name, byte[] bytes) {
        return new Element(name, bytes, Expectation.QUARANTINED, null);
    }

    /** An element whose expectation follows from {@link QuarantineRule}, for good records and mutations. */
    public static Element judged(String name, byte[] bytes) {
        String id = QuarantineRule.storedId(bytes).orElse(null);
        return new Element(name, bytes, id == null ? Expectation.QUARANTINED : Expectation.STORED, id);
    }

    public static Element judged(String name, String json) {
        return judged(name, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The element as text; invalid UTF-8 shows as U+FFFD, so use {@link #bytes()} to send it. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name + " (" + expectation + (storedId == null ? "" : " as " + abbreviated(storedId)) + ", " + bytes.length + " bytes)";
    }

    private static String abbreviated(String id) {
        return id.length() <= 40 ? id : id.substring(0, 40) + "…";
    }
}
