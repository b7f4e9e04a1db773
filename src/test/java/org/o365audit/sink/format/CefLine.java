package org.o365audit.sink.format;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A strict reader of one CEF line, written from the standard's "encoding symbols" rules and not from CefFormat:
 * the header ends at the 7th unescaped pipe and knows only the escapes \\ and \|; the extension splits at each
 * unescaped '=', the key being the word after the last unescaped space before it, and knows only \\ \= \n \r.
 * Of several spaces before a key, all but the last belong to the previous value; the final value loses trailing
 * spaces. Anything else (a raw line break, an unknown escape, an unescaped '=' inside a value, a key seen twice,
 * a line that is not UTF-8) fails the test.
 */
record CefLine(List<String> header, Map<String, String> extension) {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]+");

    static CefLine read(String line) {
        requireUtf8(line);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new AssertionError("raw control U+" + Integer.toHexString(c) + " at " + i + ": " + line);
            }
        }
        List<String> header = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (header.size() < 7) {
            if (i >= line.length()) {
                throw new AssertionError("fewer than 7 unescaped pipes: " + line);
            }
            char c = line.charAt(i++);
            if (c == '\\') {
                char next = i < line.length() ? line.charAt(i++) : 0;
                if (next != '\\' && next != '|') {
                    throw new AssertionError("header escape \\" + next + " in " + line);
                }
                field.append(next);
            } else if (c == '|') {
                header.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        return new CefLine(header, extension(line.substring(i)));
    }

    static void requireUtf8(String line) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(line));
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(bytes);
        } catch (CharacterCodingException e) {
            throw new AssertionError("not valid UTF-8: " + line, e);
        }
    }

    /** Raw text between unescaped '=' signs, escapes still in place, with where each unescaped space is. */
    private record Segment(String raw, List<Integer> spaces) {
    }

    private static Map<String, String> extension(String ext) {
        List<Segment> segments = new ArrayList<>();
        StringBuilder raw = new StringBuilder();
        List<Integer> spaces = new ArrayList<>();
        for (int i = 0; i < ext.length(); i++) {
            char c = ext.charAt(i);
            if (c == '\\' && i + 1 < ext.length()) {
                raw.append(c).append(ext.charAt(++i));
            } else if (c == '=') {
                segments.add(new Segment(raw.toString(), spaces));
                raw.setLength(0);
                spaces = new ArrayList<>();
            } else {
                if (c == ' ') {
                    spaces.add(raw.length());
                }
                raw.append(c);
            }
        }
        segments.add(new Segment(raw.toString(), spaces));
        Map<String, String> out = new LinkedHashMap<>();
        if (segments.size() < 2) {
            return out;
        }
        String key = key(segments.get(0).raw());
        for (int s = 1; s < segments.size(); s++) {
            Segment seg = segments.get(s);
            String value;
            String next = null;
            if (s == segments.size() - 1) {
                value = seg.raw().stripTrailing();
            } else {
                if (seg.spaces().isEmpty()) {
                    throw new AssertionError("no space before the key after '" + key + "': " + ext);
                }
                int space = seg.spaces().get(seg.spaces().size() - 1);
                value = seg.raw().substring(0, space);
                next = key(seg.raw().substring(space + 1));
            }
            if (out.put(key, unescape(value)) != null) {
                throw new AssertionError("key " + key + " twice: " + ext);
            }
            key = next;
        }
        return out;
    }

    private static String key(String k) {
        if (!KEY.matcher(k).matches()) {
            throw new AssertionError("not a key: '" + k + "'");
        }
        return k;
    }

    private static String unescape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i + 1 >= v.length()) {
                throw new AssertionError("value ends in a lone backslash: " + v);
            }
            char n = v.charAt(++i);
            switch (n) {
                case '\\', '=' -> b.append(n);
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                default -> throw new AssertionError("extension escape \\" + n + " in " + v);
            }
        }
        return b.toString();
    }
}
