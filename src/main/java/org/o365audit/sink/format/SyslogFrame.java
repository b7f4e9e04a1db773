package org.o365audit.sink.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.o365audit.sink.SinkRecord;

/**
 * An RFC 5424 message for one record, framed by octet counting (RFC 6587 §3.4) so that line breaks inside
 * the record cannot split it, over TCP and over TLS alike. The record's id, tenant, workload and operation
 * also go into structured data, where a receiver can route on them without parsing MSG.
 */
public final class SyslogFrame {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final String NIL = "-";
    private static final int INFORMATIONAL = 6;
    private static final int WARNING = 4;
    // RFC 5424 allows up to 6 fractional digits; a fixed 3 keeps every receiver's parser happy.
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** {@code MSG-LEN SP SYSLOG-MSG}, MSG-LEN counting octets. */
    public byte[] frame(SinkRecord r, String msg, SyslogOptions o) {
        byte[] message = message(r, msg, o);
        byte[] prefix = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(message, 0, out, prefix.length, message.length);
        return out;
    }

    /** The unframed SYSLOG-MSG; MSG is left out when {@code msg} is null. */
    public byte[] message(SinkRecord r, String msg, SyslogOptions o) {
        int severity = Outcome.of(r) == Outcome.FAILURE ? WARNING : INFORMATIONAL;
        Instant time = AuditFields.eventTime(r);
        String head = "<" + (o.facility() * 8 + severity) + ">1 "
                + (time == null ? NIL : TIMESTAMP.format(time)) + ' '
                + headerField(o.hostname(), 255) + ' '
                + headerField(o.appName(), 48) + ' '
                + NIL + ' '
                + headerField(o.msgId(), 32) + ' '
                + structuredData(r, o.sdId());
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + (msg == null ? 0 : msg.length() * 2) + 8);
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        if (msg != null) {
            out.write(' ');
            if (o.bom()) {
                out.writeBytes(BOM);
            }
            out.writeBytes(msg.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Frames one after another, as they go on one connection. */
    public static byte[] frames(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(frames.stream().mapToInt(f -> f.length).sum());
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Header fields are printable US-ASCII without spaces; anything else is dropped, nothing left is nil. */
    static String headerField(String s, int max) {
        if (s == null) {
            return NIL;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c >= 33 && c <= 126) {
                b.append(c);
            }
        }
        return b.length() == 0 ? NIL : b.toString();
    }

    static String structuredData(SinkRecord r, String sdId) {
        StringBuilder b = new StringBuilder(160).append('[').append(sdId);
        param(b, "id", r.getId());
        param(b, "tenant", r.getTenantName());
        param(b, "ws", r.getWorkload());
        param(b, "op", r.getOperation());
        return b.append(']').toString();
    }

    private static void param(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        b.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }
}
