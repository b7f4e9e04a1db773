package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes the demo feed's blob for one (content type, slot): 1–6 corpus records with fresh ids and
 * times (Power BI and Dynamics records 1–72 hours older than their blob, others minutes to hours),
 * plus the feed's documented imperfections: about 5% of blobs repeat a record of the previous blob
 * (duplicates are by design), about 3% are listed 1–4 hours late, and one blob per simulated day is
 * truncated JSON. Every choice is seeded from (tenant, content type, slot), so the same history
 * comes out the same. Not thread-safe: one generator per populating thread.
 */
final class DemoBlobGenerator {

    private static final Duration DAY = Duration.ofDays(1);
    private static final int MAX_RECORDS = 6;
    private static final double DUPLICATE_RATE = 0.05;
    private static final double LATE_RATE = 0.03;
    /** Power BI (20) and Dynamics 365 CRM (21): Defender for Cloud Apps warns of 24-72 h delays for both. */
    private static final Set<Integer> DELAYED_RECORD_TYPES = Set.of(20, 21);

    private final SimulatedTenant tenant;
    private final Duration interval;
    private final CorpusTemplates templates = CorpusTemplates.get();
    private final Map<String, List<String>> previousRecords = new HashMap<>();

    /** @param interval the spacing of slots; decides which slot of a day carries the malformed blob */
    DemoBlobGenerator(SimulatedTenant tenant, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("blob interval must be positive: " + interval);
        }
        this.tenant = tenant;
        this.interval = interval;
    }

    /**
     * The blob for a slot (a multiple of the interval); its contentCreated is the slot plus a little
     * jitter, never after {@code now}.
     */
    SimBlob next(String contentType, Instant slot, Instant now) {
        String tenantId = tenant.tenantId();
        SplittableRandom random = new SplittableRandom(ContentIds.hash(tenantId + "|" + contentType + "|" + slot));
        Instant created = slot.plusMillis(random.nextLong(Math.min(interval.toMillis() / 2, 59_000) + 1));
        if (created.isAfter(now)) {
            created = now;
        }
        String contentId = ContentIds.of(tenantId, contentType, slot);
        List<String> records = freshRecords(contentType, contentId, created, random);
        List<String> previous = previousRecords.computeIfAbsent(contentType, this::latestStoredRecords);
        if (!previous.isEmpty() && random.nextDouble() < DUPLICATE_RATE) {
            String repeated = previous.get(random.nextInt(previous.size()));
            if (records.size() < MAX_RECORDS) {
                records.add(random.nextInt(records.size() + 1), repeated);
            } else {
                records.set(random.nextInt(records.size()), repeated);
            }
        }
        previousRecords.put(contentType, records);
        Instant visibleFrom = random.nextDouble() < LATE_RATE
                ? created.plus(Duration.ofMinutes(60 + random.nextInt(181)))
                : created;
        if (isMalformedSlot(contentType, slot)) {
            byte[] whole = ("[" + String.join(",", records) + "]").getBytes(StandardCharsets.UTF_8);
            byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
            return SimBlob.ofRawBody(contentType, contentId, created, visibleFrom, truncated);
        }
        return SimBlob.ofRecords(contentType, contentId, created, visibleFrom, records);
    }

    private List<String> freshRecords(String contentType, String contentId, Instant created,
                                      SplittableRandom random) {
        List<ObjectNode> pool = templates.forType(contentType);
        int count = 1 + random.nextInt(MAX_RECORDS);
        List<String> records = new ArrayList<>(MAX_RECORDS);
        for (int i = 0; i < count; i++) {
            ObjectNode record = pool.get(random.nextInt(pool.size())).deepCopy();
            String idSeed = tenant.tenantId() + "|" + contentId + "|" + i;
            UUID id = UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8));
            // events reach a blob minutes to hours after they happen; Power BI and Dynamics ones 1-72 h
            Instant creationTime = DELAYED_RECORD_TYPES.contains(record.path("RecordType").asInt(-1))
                    ? created.minus(ReportingDelay.sample(random))
                    : created.minusSeconds(120 + random.nextLong(3 * 3600 - 120));
            record.put("Id", id.toString());
            record.put("CreationTime", Json.RECORD_TIME.format(creationTime));
            record.put("OrganizationId", tenant.tenantId());
            records.add(Json.text(record));
        }
        return records;
    }

    /** One slot per UTC day, in one content type chosen per day, carries a truncated blob. */
    private boolean isMalformedSlot(String contentType, Instant slot) {
        long day = Math.floorDiv(slot.getEpochSecond(), DAY.toSeconds());
        long dayHash = ContentIds.hash(tenant.tenantId() + "|malformed|" + day);
        if (!contentType.equals(ContentTypes.ALL.get(Math.floorMod(dayHash, ContentTypes.ALL.size())))) {
            return false;
        }
        long slotsPerDay = Math.max(1, DAY.toMillis() / interval.toMillis());
        long indexInDay = (slot.toEpochMilli() - day * DAY.toMillis()) / interval.toMillis();
        return indexInDay == Math.floorMod(dayHash >> 16, slotsPerDay);
    }

    /** So a live trickle continues the duplicates of an already populated history. */
    private List<String> latestStoredRecords(String contentType) {
        List<SimBlob> stored = tenant.blobs(contentType);
        return stored.isEmpty() ? List.of() : stored.get(stored.size() - 1).records();
    }
}
