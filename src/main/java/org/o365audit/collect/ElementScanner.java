package org.o365audit.collect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a blob (a JSON array of records) into the exact bytes of each element without parsing them, so that
 * one bad record is set aside on its own: invalid UTF-8, a raw control character or a syntax error inside
 * one element never stops the elements after it. It only follows what delimits elements (brackets and
 * braces outside strings, quotes, backslash escapes), which UTF-8 never hides inside a multi-byte
 * character. Memory is bounded by the largest element it keeps ({@code maxElementBytes}); a larger
 * element is cut to that size and reported as oversized, and scanning goes on after it.
 */
public final class ElementScanner {
    /** What the scanner found next. */
    public enum Kind {
        /** One complete element. */
        ELEMENT,
        /** An element larger than the limit: its first bytes only. */
        OVERSIZED,
        /** The blob ended inside an element: the bytes of that last, incomplete element. */
        TRUNCATED,
        /** The blob is empty. */
        EMPTY,
        /** The blob does not start with a JSON array: a sample of it. */
        NOT_AN_ARRAY,
        /** Something follows the array's closing bracket: a sample of it. */
        TRAILING_DATA,
        /** The blob ended before the array's closing bracket, between two elements (no bytes). */
        UNCLOSED
    }

    /** One element (or problem) with its bytes and its position in the blob. */
    public record Element(Kind kind, int index, long offset, byte[] bytes, long size) {
    }

    private static final int SAMPLE = 4096;

    private final InputStream in;
    private final int maxElementBytes;
    private final byte[] buf = new byte[16384];
    private int pos;
    private int len;
    private long offset;   // of buf[pos] in the blob
    private boolean started;
    private boolean done;
    private int index;

    public ElementScanner(InputStream in, int maxElementBytes) {
        this.in = in;
        this.maxElementBytes = maxElementBytes;
    }

    /** The next element, or null at the end of the array. */
    public Element next() throws IOException {
        if (done) {
            return null;
        }
        if (!started) {
            started = true;
            skipBom();
            int b = skipWhitespace();
            if (b != '[') {
                done = true;
                return b < 0 ? new Element(Kind.EMPTY, 0, 0, new byte[0], 0)
                        : new Element(Kind.NOT_AN_ARRAY, 0, offset, sample(), -1);
            }
            take();
        }
        while (true) {
            int b = skipWhitespace();
            if (b < 0) {
                done = true;
                return new Element(Kind.UNCLOSED, index, offset, new byte[0], 0);
            }
            if (b == ',') {
                take();
                continue;
            }
            if (b == ']') {
                take();
                done = true;
                int after = skipWhitespace();
                return after < 0 ? null : new Element(Kind.TRAILING_DATA, index, offset, sample(), -1);
            }
            return element();
        }
    }

    /**
     * Reads one element from its first byte to its end: a closing bracket at depth 0, or a ',' / ']' after a
     * scalar. It runs over the buffer in place and copies what it keeps in whole ranges; an element that lies
     * within one fill of the buffer is copied once.
     */
    private Element element() throws IOException {
        long start = offset;
        long size = 0;
        byte[] kept = null;   // the bytes kept so far of an element that spans more than one fill
        int keptLen = 0;
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        boolean scalar = peek() != '{' && peek() != '[';
        while (true) {
            if (pos >= len && !fill(1)) {
                return new Element(Kind.TRUNCATED, index++, start, kept == null ? new byte[0] : Arrays.copyOf(kept, keptLen), size);
            }
            int from = pos;
            int i = pos;
            boolean ends = false;
            for (; i < len; i++) {
                byte b = buf[i];
                if (inString && !escaped && b != '"' && b != '\\') {
                    i = stringEnd(buf, i, len);   // most bytes are inside strings: skip to the next quote or escape
                    if (i == len) {
                        break;
                    }
                    b = buf[i];
                }
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (b == '\\') {
                        escaped = true;
                    } else if (b == '"') {
                        inString = false;
                    }
                } else if (scalar && depth <= 0 && (b == ',' || b == ']')) {
                    ends = true;   // a scalar (or stray text) ends where the next separator starts; leave it for next()
                    break;
                } else if (b == '"') {
                    inString = true;
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if ((b == '}' || b == ']') && --depth <= 0 && !scalar) {
                    i++;
                    ends = true;
                    break;
                }
            }
            int n = i - from;
            int room = (int) Math.min(n, Math.max(0, maxElementBytes - size));
            pos = i;
            offset += n;
            size += n;
            if (ends && kept == null) {
                return new Element(size > maxElementBytes ? Kind.OVERSIZED : Kind.ELEMENT, index++, start,
                        Arrays.copyOfRange(buf, from, from + room), size);
            }
            if (room > 0) {
                kept = room(kept, keptLen + room);
                System.arraycopy(buf, from, kept, keptLen, room);
                keptLen += room;
            }
            if (ends) {
                return new Element(size > maxElementBytes ? Kind.OVERSIZED : Kind.ELEMENT, index++, start,
                        Arrays.copyOf(kept, keptLen), size);
            }
        }
    }

    /**
     * The index of the first quote or backslash in {@code buf[from, len)}, or {@code len}. A small method of its own
     * so that the JIT compiles this loop on its own: written inside element(), scanning took ten times its usual CPU
     * in some collector runs and not in others (profiled with async-profiler, BENCHMARKS.md).
     */
    private static int stringEnd(byte[] buf, int from, int len) {
        int i = from;
        while (i < len) {
            byte b = buf[i];
            if (b == '"' || b == '\\') {
                return i;
            }
            i++;
        }
        return len;
    }

    /** {@code kept} with room for {@code need} bytes. */
    private byte[] room(byte[] kept, int need) {
        if (kept == null) {
            return new byte[Math.max(need, 4096)];
        }
        return need <= kept.length ? kept : Arrays.copyOf(kept, (int) Math.max(need, Math.min(maxElementBytes, kept.length * 2L)));
    }

    private void skipBom() throws IOException {
        if (peek() == 0xEF) {
            fill(3);
            if (len - pos >= 3 && (buf[pos + 1] & 0xFF) == 0xBB && (buf[pos + 2] & 0xFF) == 0xBF) {
                take();
                take();
                take();
            }
        }
    }

    private int skipWhitespace() throws IOException {
        int b;
        while ((b = peek()) == ' ' || b == '\n' || b == '\r' || b == '\t') {
            take();
        }
        return b;
    }

    /** Up to {@link #SAMPLE} bytes from here on, for the quarantine row of a blob that is not an array. */
    private byte[] sample() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while (out.size() < SAMPLE && (b = peek()) >= 0) {
            out.write(b);
            take();
        }
        return out.toByteArray();
    }

    private int peek() throws IOException {
        if (pos >= len && !fill(1)) {
            return -1;
        }
        return buf[pos] & 0xFF;
    }

    private void take() {
        pos++;
        offset++;
    }

    /** Makes at least {@code n} bytes available when the stream has them. */
    private boolean fill(int n) throws IOException {
        if (len - pos >= n) {
            return true;
        }
        System.arraycopy(buf, pos, buf, 0, len - pos);
        len -= pos;
        pos = 0;
        while (len < n) {
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                return len >= n;
            }
            len += r;
        }
        return true;
    }
}
