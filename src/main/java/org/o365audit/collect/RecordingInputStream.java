package org.o365audit.collect;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Keeps the bytes read since the last {@link #discardBefore} so the exact text of the record being parsed
 * can be cut out of the stream. Holds one record plus the parser's read-ahead, never the whole blob.
 */
final class RecordingInputStream extends FilterInputStream {
    private byte[] buf = new byte[64 * 1024];
    private long bufStart;
    private int len;

    RecordingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            ensure(1);
            buf[len++] = (byte) b;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        int r = in.read(b, off, n);
        if (r > 0) {
            ensure(r);
            System.arraycopy(b, off, buf, len, r);
            len += r;
        }
        return r;
    }

    /** Bytes from absolute offset {@code from} (inclusive) to {@code to} (exclusive). */
    byte[] slice(long from, long to) {
        int a = (int) Math.max(0, from - bufStart);
        int z = (int) Math.min(len, to - bufStart);
        return a >= z ? new byte[0] : Arrays.copyOfRange(buf, a, z);
    }

    /** Up to {@code max} bytes starting at absolute offset {@code from}, for error reports. */
    byte[] around(long from, int max) {
        long start = Math.max(bufStart, from);
        return slice(start, Math.min(start + max, bufStart + len));
    }

    void discardBefore(long offset) {
        int drop = (int) Math.min(len, Math.max(0, offset - bufStart));
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            bufStart += drop;
        }
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
