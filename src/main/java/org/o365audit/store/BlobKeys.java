package org.o365audit.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.o365audit.record.Texts;

/**
 * The contentId as the database keeps it (blob ledger, attempts, quarantine, audit_event.content_id, at most
 * 512 characters). Microsoft's contentIds are far shorter; a longer or unprintable one (a hostile listing)
 * is kept as its printable start plus a SHA-256 of the whole, so it stays unique and never fails an insert.
 */
public final class BlobKeys {
    static final int MAX = 512;

    private BlobKeys() {
    }

    public static String of(String contentId) {
        if (contentId == null) {
            return "";
        }
        String clean = Texts.column(contentId, MAX);
        if (clean.equals(contentId)) {
            return contentId;
        }
        return Texts.column(contentId, 400) + "...sha256:" + sha256(contentId);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
