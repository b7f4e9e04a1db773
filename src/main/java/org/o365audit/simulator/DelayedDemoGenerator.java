package org.o365audit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes the demo's Power BI activity events and the audit rows of its Dataverse environment
 * {@value #ENVIRONMENT}, from the simulator's synthetic templates. Each one becomes visible 1 to 72
 * hours after it happened ({@link ReportingDelay}). Every choice is seeded from (tenant, hour) or
 * (tenant, tick), and Ids are name-based UUIDs of the same, so the same history comes out the same.
 */
final class DelayedDemoGenerator {

    static final String ENVIRONMENT = "contoso";

    private static final long HOUR = 3600;
    private static final DateTimeFormatter CREATED_ON =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    /** The formatted-value annotation Dataverse adds, e.g. {@code 5/12/2022 3:19 PM} (here in UTC). */
    private static final DateTimeFormatter FORMATTED =
            DateTimeFormatter.ofPattern("M/d/yyyy h:mm a", Locale.US).withZone(ZoneOffset.UTC);

    private static final class Templates {
        static final List<ObjectNode> POWER_BI =
                CorpusTemplates.read(CorpusTemplates.FOLDER + "synthetic-powerbi-activity-events.ndjson");
        static final List<ObjectNode> DATAVERSE =
                CorpusTemplates.read(CorpusTemplates.FOLDER + "synthetic-dataverse-audits.ndjson");
    }

    private final SimulatedTenant tenant;

    DelayedDemoGenerator(SimulatedTenant tenant) {
        this.tenant = tenant;
    }

    /**
     * Adds the history's events and rows that happened in {@code (from, to]}: 2-5 Power BI events and
     * 1-3 audit rows per hour. Hours are generated whole and then cut, so adjoining ranges add each once.
     *
     * @return how many were added
     */
    int addHistory(Instant from, Instant to) {
        int added = 0;
        long lastHour = Math.floorDiv(to.getEpochSecond(), HOUR);
        for (long hour = Math.floorDiv(from.getEpochSecond(), HOUR); hour <= lastHour; hour++) {
            SplittableRandom random = new SplittableRandom(ContentIds.hash(tenant.tenantId() + "|delayed|" + hour));
            int events = 2 + random.nextInt(4);
            int rows = 1 + random.nextInt(3);
            for (int i = 0; i < events + rows; i++) {
                Instant happened = Instant.ofEpochSecond(hour * HOUR + random.nextLong(HOUR));
                Duration delay = ReportingDelay.sample(random);
                int template = random.nextInt(1 << 16);
                if (happened.isAfter(from) && !happened.isAfter(to)) {
                    String seed = hour + "|" + i;
                    if (i < events) {
                        addEvent(seed, template, happened, happened.plus(delay));
                    } else {
                        addRow(seed, template, happened, happened.plus(delay));
                    }
                    added++;
                }
            }
        }
        return added;
    }

    /** One trickle tick: an event and a row that happened 1-72 hours before {@code tick} and are visible from it. */
    void addLate(Instant tick) {
        SplittableRandom random = new SplittableRandom(ContentIds.hash(tenant.tenantId() + "|late|" + tick));
        String seed = "late|" + tick.toEpochMilli();
        addEvent(seed, random.nextInt(1 << 16), tick.minus(ReportingDelay.sample(random)), tick);
        addRow(seed, random.nextInt(1 << 16), tick.minus(ReportingDelay.sample(random)), tick);
    }

    private void addEvent(String seed, int template, Instant happened, Instant visibleFrom) {
        ObjectNode event = Templates.POWER_BI.get(template % Templates.POWER_BI.size()).deepCopy();
        event.put("Id", uuid("powerbi|" + seed));
        event.put("CreationTime", Json.RECORD_TIME.format(happened));
        event.put("OrganizationId", tenant.tenantId());
        if (event.has("RequestId")) {
            event.put("RequestId", uuid("powerbi-request|" + seed));
        }
        if (event.has("ActivityId")) {
            event.put("ActivityId", uuid("powerbi-activity|" + seed));
        }
        tenant.powerBi().addEvent(Json.text(event), visibleFrom);
    }

    private void addRow(String seed, int template, Instant happened, Instant visibleFrom) {
        ObjectNode row = Templates.DATAVERSE.get(template % Templates.DATAVERSE.size()).deepCopy();
        row.put("auditid", uuid("dataverse|" + seed));
        row.put("createdon@OData.Community.Display.V1.FormattedValue", FORMATTED.format(happened));
        row.put("createdon", CREATED_ON.format(happened));
        tenant.dataverse(ENVIRONMENT).addAudit(Json.text(row), visibleFrom);
    }

    private String uuid(String seed) {
        String name = tenant.tenantId() + "|" + seed;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
