package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes the demo feed's blob for one (content type, slot): 1–6 corpus records with fresh ids and
 * times (Power BI and Dynamics records 1–72 hours older than their blob, others minutes to hours),
 * plus the feed's documented imperfections: about 5% of blobs repeat a record of the previous blob
 * (duplicates are by design), about 3% are listed 1–4 hours late, and one blob per simulated day is
 * truncated JSON. Every choice is seeded from (tenant, content type, slot), so the same history
 * comes out the same, and a blob's records are made again from that seed whenever it is fetched
 * ({@link SimBlob#generated}): a demo that runs for days keeps only its blobs' listing metadata.
 */
final class DemoBlobGenerator {

    private static final Duration DAY = Duration.ofDays(1);
    /** Fresh records per blob; a repeated record of the previous blob may come on top. */
    private static final int MAX_FRESH = 5;
    private static final double DUPLICATE_RATE = 0.05;
    private static final double LATE_RATE = 0.03;
    /** Power BI (20) and Dynamics 365 CRM (21): Defender for Cloud Apps warns of 24-72 h delays for both. */
    private static final Set<Integer> DELAYED_RECORD_TYPES = Set.of(20, 21);

    private final SimulatedTenant tenant;
    private final Duration interval;
    private final CorpusTemplates templates = CorpusTemplates.get();

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
     * jitter, never after {@code now}. A blob repeats a record only when the previous slot's blob is stored.
     */
    SimBlob next(String contentType, Instant slot, Instant now) {
        String tenantId = tenant.tenantId();
        SplittableRandom random = new SplittableRandom(ContentIds.hash(tenantId + "|" + contentType + "|" + slot));
        Instant jittered = slot.plusMillis(random.nextLong(Math.min(interval.toMillis() / 2, 59_000) + 1));
        Instant created = jittered.isAfter(now) ? now : jittered;
        String contentId = ContentIds.of(tenantId, contentType, slot);
        Optional<SimBlob> previous = random.nextDouble() < DUPLICATE_RATE
                ? tenant.blobStore().find(ContentIds.of(tenantId, contentType, slot.minus(interval)))
                : Optional.empty();
        Instant visibleFrom = random.nextDouble() < LATE_RATE
                ? created.plus(Duration.ofMinutes(60 + random.nextInt(181)))
                : created;
        // what the body needs, and nothing else: the previous blob's id and time, not the blob
        String previousId = previous.map(SimBlob::contentId).orElse(null);
        Instant previousCreated = previous.map(SimBlob::contentCreated).orElse(null);
        boolean malformed = isMalformedSlot(contentType, slot);
        return SimBlob.generated(contentType, contentId, created, visibleFrom, () -> {
            List<String> records = freshRecords(contentType, contentId, created);
            if (previousId != null) {
                SplittableRandom pick = new SplittableRandom(ContentIds.hash(tenantId + "|repeat|" + contentId));
                List<String> earlier = freshRecords(contentType, previousId, previousCreated);
                records.add(pick.nextInt(records.size() + 1), earlier.get(pick.nextInt(earlier.size())));
            }
            if (malformed) {
                byte[] whole = ("[" + String.join(",", records) + "]").getBytes(StandardCharsets.UTF_8);
                return SimBlob.ofRawBody(contentType, contentId, created, visibleFrom, Arrays.copyOf(whole, whole.length / 2));
            }
            return SimBlob.ofRecords(contentType, contentId, created, visibleFrom, records);
        });
    }

    /** The records a blob was made with, the same on every call. */
    private List<String> freshRecords(String contentType, String contentId, Instant created) {
        SplittableRandom random = new SplittableRandom(ContentIds.hash(tenant.tenantId() + "|records|" + contentId));
        List<ObjectNode> pool = templates.forType(contentType);
        int count = 1 + random.nextInt(MAX_FRESH);
        List<String> records = new ArrayList<>(MAX_FRESH + 1);
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
}
