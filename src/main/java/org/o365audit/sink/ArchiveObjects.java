package org.o365audit.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A kept batch as archive objects: one gzipped NDJSON object (RecordEnvelope lines) per tenant, app and hour of
 * the records' creationTime, named {@code <prefix>/<tenantId>/<app>/<yyyy>/<MM>/<dd>/<HH>/<batchId>.ndjson.gz}.
 * The same batch gives the same names and the same bytes every time (the batch id is fixed when first claimed,
 * Java's gzip header carries no time), so writing it again after a failure or a restart replaces each object by
 * an identical one: no duplicates at the destination.
 */
public final class ArchiveObjects {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

    /** One object: its key, gzipped body, the body's MD5 (base64, for Content-MD5) and how many records it holds. */
    public record ArchiveObject(String key, byte[] body, String md5, int records) {
    }

    private ArchiveObjects() {
    }

    public static List<ArchiveObject> of(SinkBatch batch, String prefix) {
        Map<String, List<SinkRecord>> groups = new LinkedHashMap<>();
        for (SinkRecord r : batch.records()) {
            groups.computeIfAbsent(folder(r), k -> new ArrayList<>()).add(r);
        }
        String base = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        List<ArchiveObject> out = new ArrayList<>(groups.size());
        groups.forEach((folder, records) -> {
            String key = (base.isEmpty() ? "" : base + "/") + folder + "/" + segment(batch.id()) + ".ndjson.gz";
            byte[] body = gzip(RecordEnvelope.lines(records));
            out.add(new ArchiveObject(key, body, md5(body), records.size()));
        });
        return out;
    }

    /** tenant/app/yyyy/MM/dd/HH of a record; a record without a readable creationTime goes by its collection time. */
    static String folder(SinkRecord r) {
        Instant t = r.getCreationTime() != null ? r.getCreationTime() : r.getCollectedAt();
        return segment(r.getTenantId()) + "/" + segment(r.getApp()) + "/" + (t == null ? "unknown" : HOUR.format(t));
    }

    /**
     * A value as one path segment of a key: letters, digits, '.', '_' and '-' kept, anything else (space, '/',
     * control and non-ASCII characters) as '-'; empty or dots only as "unknown". "Power BI" gives "Power-BI".
     */
    static String segment(String value) {
        if (value == null) {
            return "unknown";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), 100));
        for (int i = 0; i < value.length() && b.length() < 100; i++) {
            char c = value.charAt(i);
            boolean plain = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            b.append(plain ? c : '-');
        }
        String s = b.toString();
        return s.isEmpty() || s.chars().allMatch(c -> c == '.') ? "unknown" : s;
    }

    /** GZIPOutputStream writes a fixed header (no file name, modification time 0): equal input, equal bytes. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 6 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String md5(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
