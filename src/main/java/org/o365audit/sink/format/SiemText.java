package org.o365audit.sink.format;

/**
 * Record text made safe to put on one CEF or LEEF line, before each format applies its own escaping.
 * Audit fields are user-controlled (file names, mailbox folder names, cmdlet parameters), so a value can hold
 * anything JSON can carry. Two rules, the same for both formats so a SIEM sees one policy:
 * <ul>
 * <li>Tab, vertical tab and form feed become a space: they are whitespace to a reader, LEEF uses tab as its
 * delimiter, and rsyslog rewrites them as {@code #011} on receipt anyway.</li>
 * <li>NUL, the other C0 controls, DEL, the C1 controls (NEL among them) and unpaired surrogates become U+FFFD.
 * Many receivers end a line at NUL or mangle controls, and an unpaired surrogate has no UTF-8 form (Java's
 * encoder would silently write '?'); U+FFFD keeps the value's length and shows that something was there.</li>
 * </ul>
 * CR and LF are left for the caller: CEF carries them escaped in extension values, elsewhere they become a space.
 * Every character maps to one character, so cutting to a length before or after this gives the same result.
 * U+2028/U+2029 stay as they are: they are valid UTF-8 text and no syslog receiver splits a line on them.
 */
final class SiemText {
    static final char REPLACEMENT = '\uFFFD';

    private SiemText() {
    }

    /** {@code s} with controls and unpaired surrogates replaced as described above; CR and LF kept. */
    static String withoutControls(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char r = replacement(s, i, c);
            if (r != c && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(r);
            }
            if (Character.isHighSurrogate(c) && r == c) {
                // a valid pair: copy its low half as it is
                i++;
                if (b != null) {
                    b.append(s.charAt(i));
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /** {@code s} on one line: {@link #withoutControls} and CR and LF as a space each. */
    static String oneLine(String s) {
        return withoutControls(s).replace('\r', ' ').replace('\n', ' ');
    }

    private static char replacement(String s, int i, char c) {
        if (c == '\t' || c == '\u000B' || c == '\f') {
            return ' ';
        }
        if (c == '\r' || c == '\n') {
            return c;
        }
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            return REPLACEMENT;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)) ? c : REPLACEMENT;
        }
        if (Character.isLowSurrogate(c)) {
            return REPLACEMENT;   // a low half reached here had no high half before it
        }
        return c;
    }
}
