package org.o365audit.sink.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A strict reader of one LEEF 2.0 line, written from IBM's event-components page and not from LeefFormat: six
 * header fields end at the 6th pipe (the last one names the delimiter, here x09), then attributes split at each
 * delimiter and each attribute at its first '='. LEEF has no escapes, so what is read is what was written.
 * A raw line break or other control besides the delimiter, a key seen twice, or a line that is not UTF-8 fails.
 */
record LeefLine(List<String> header, Map<String, String> attributes) {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]+");

    static LeefLine read(String line) {
        CefLine.requireUtf8(line);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new AssertionError("raw control U+" + Integer.toHexString(c) + " at " + i + ": " + line);
            }
        }
        String[] parts = line.split("\\|", 7);
        if (parts.length != 7 || !parts[0].equals("LEEF:2.0") || !parts[5].equals("x09")) {
            throw new AssertionError("not a LEEF 2.0 header with tab delimiter: " + line);
        }
        if (parts[4].indexOf('\t') >= 0) {
            throw new AssertionError("tab in the EventID: " + line);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String pair : parts[6].split("\t", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !KEY.matcher(pair.substring(0, eq)).matches()) {
                throw new AssertionError("not key=value: '" + pair + "' in " + line);
            }
            if (attributes.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                throw new AssertionError("key " + pair.substring(0, eq) + " twice: " + line);
            }
        }
        return new LeefLine(List.of(parts).subList(0, 5), attributes);
    }

    String eventId() {
        return header.get(4);
    }
}
