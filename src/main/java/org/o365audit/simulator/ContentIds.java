package org.o365audit.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Content ids in the real service's shape, e.g.
 * {@code 20261125115200123456789$20261125115200123456789$audit_exchange$Audit_Exchange$emea0025}:
 * a 23-digit timestamp twice, the content type twice and a region shard. Deterministic from
 * (tenant, content type, slot time), so regenerating a history gives the same ids.
 */
final class ContentIds {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final List<String> REGIONS = List.of("emea", "nam", "apac");

    private ContentIds() {
    }

    static String of(String tenantId, String contentType, Instant slot) {
        long hash = hash(tenantId + "|" + contentType + "|" + slot);
        String digits = SECONDS.format(slot)
                + String.format(Locale.ROOT, "%03d", slot.getNano() / 1_000_000)
                + String.format(Locale.ROOT, "%06d", Math.floorMod(hash, 1_000_000));
        long tenantHash = hash(tenantId);
        String region = REGIONS.get(Math.floorMod(tenantHash, REGIONS.size()))
                + String.format(Locale.ROOT, "%04d", Math.floorMod(tenantHash >> 8, 100));
        return digits + "$" + digits + "$" + contentType.toLowerCase(Locale.ROOT).replace('.', '_')
                + "$" + contentType.replace('.', '_') + "$" + region;
    }

    /** A stable 64-bit hash (name-based UUID), the seed of every deterministic choice in the demo feed. */
    static long hash(String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    }
}
