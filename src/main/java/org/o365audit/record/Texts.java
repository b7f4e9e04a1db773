package org.o365audit.record;

/**
 * Text as a database column or a log line can take it. Audit records carry whatever a workload wrote:
 * control characters, terminal escape sequences, unpaired surrogates, values of hundreds of kilobytes.
 * The raw record keeps all of it; the derived columns and the log get a safe, bounded copy.
 */
public final class Texts {
    private static final char REPLACEMENT = '\uFFFD';

    private Texts() {
    }

    /**
     * For a derived column: control characters and unpaired surrogates become U+FFFD, and the text is cut to
     * {@code max} UTF-16 units (never between the two halves of a pair). Null stays null.
     */
    public static String column(String s, int max) {
        if (s == null) {
            return null;
        }
        int n = Math.min(s.length(), max);
        StringBuilder out = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c)) {
                boolean paired = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (paired && i + 1 >= n) {
                    n = i;   // the pair does not fit: cut before it
                    break;
                }
                bad = !paired;
                if (paired) {
                    if (out != null) {
                        out.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                bad = Character.isLowSurrogate(c) || isControl(c);
            }
            if (bad && out == null) {
                out = new StringBuilder(n).append(s, 0, i);
            }
            if (out != null) {
                out.append(bad ? REPLACEMENT : c);
            }
        }
        return out != null ? out.toString() : n == s.length() ? s : s.substring(0, n);
    }

    /**
     * For a log line or a reason: control characters and unpaired surrogates shown as \\uXXXX (a terminal never
     * sees an escape sequence), cut to about {@code max} characters with "..." when longer.
     */
    public static String printable(String s, int max) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 8);
        int i = 0;
        for (; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            if (isControl(c) || (Character.isSurrogate(c) && !pairedAt(s, i))) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
                if (Character.isHighSurrogate(c)) {
                    out.append(s.charAt(++i));
                }
            }
        }
        return i < s.length() ? out.append("...").toString() : out.toString();
    }

    /** True when PostgreSQL cannot keep the text in a text or jsonb value: U+0000, or an unpaired surrogate. */
    public static boolean unstorable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return true;
            }
            if (Character.isSurrogate(c)) {
                if (!pairedAt(s, i)) {
                    return true;
                }
                i++;
            }
        }
        return false;
    }

    /** True when the surrogate at i is the high half of a pair. */
    private static boolean pairedAt(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }
}
