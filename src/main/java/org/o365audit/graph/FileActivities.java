package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Header;
import org.o365audit.collect.FeedSources;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.record.Headers;
import org.o365audit.sink.DeliverySequencer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The first step of a files run (routes/file-watch.camel.yaml): the tenant's next file and sharing activities from
 * the audit records already stored (audit_event, source management-api, workload SharePoint or OneDrive, an operation
 * of {@link FileActivity#OPERATIONS}), read after the tenant's file_cursor in the delivery order the sinks read
 * ((delivery_epoch, seq), rows the delivery sequencer has stamped), at most {@value #MAX_ACTIVITIES} per run; and the
 * known files last read more than {@link #STALE_AFTER} ago, at most {@value #MAX_STALE} per run. A record that cannot
 * name a file (no ObjectId, not a URL, not a file) is skipped alone, with a warning naming tenant and record.
 */
@Component("fileActivities")
public class FileActivities {
    static final int MAX_ACTIVITIES = 500;
    static final int MAX_STALE = 50;
    static final Duration STALE_AFTER = Duration.ofHours(24);
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");
    private static final String OPERATIONS = FileActivity.OPERATIONS.stream().map(o -> "'" + o + "'")
            .collect(Collectors.joining(", "));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final FileItems items;
    private final DeliverySequencer sequencer;
    private final TenantRegistry tenants;
    private final Clock clock;

    public FileActivities(DataSource dataSource, FileItems items, DeliverySequencer sequencer, TenantRegistry tenants,
            Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.items = items;
        this.sequencer = sequencer;
        this.tenants = tenants;
        this.clock = clock;
    }

    /**
     * True while a tenant watches files: the delivery sequencer then stamps the delivery order even when no sink
     * reads it (routes/delivery-sequencer.camel.yaml), since this component reads the activities in that order.
     */
    public boolean anyTenantWatches() {
        return tenants.all().stream().anyMatch(t -> t.has(org.o365audit.config.TenantComponent.FILES));
    }

    public FileWork next(@Header(Headers.TENANT_ID) String tenantId) {
        long[] from = items.cursor(tenantId, false);
        // every row of an epoch up to the last one handed out is committed: a run that finds fewer than its maximum
        // has seen all there is up to it, and its cursor moves past rows of other tenants and workloads as well
        long upTo = sequencer.lastEpoch();
        List<Row> rows = jdbc.query("SELECT delivery_epoch, seq, id, creation_time, raw FROM audit_event"
                + " WHERE delivery_epoch IS NOT NULL AND (delivery_epoch, seq) > (?, ?) AND delivery_epoch <= ?"
                + " AND tenant_id = ? AND source = ? AND workload IN ('SharePoint', 'OneDrive') AND operation IN ("
                + OPERATIONS + ") ORDER BY delivery_epoch, seq LIMIT " + MAX_ACTIVITIES,
                (rs, i) -> new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4), rs.getString(5)),
                from[0], from[1], upTo, tenantId, FeedSources.MANAGEMENT_API);
        long[] to = rows.size() < MAX_ACTIVITIES
                ? max(from, new long[] {upTo, Long.MAX_VALUE})
                : new long[] {rows.get(rows.size() - 1).epoch(), rows.get(rows.size() - 1).seq()};
        FileWork work = new FileWork(tenantId, from, to,
                items.stale(tenantId, clock.instant().minus(STALE_AFTER), MAX_STALE));
        for (Row r : rows) {
            try {
                JsonNode record = JSON.readTree(r.raw());
                String why = FileActivity.unusable(record);
                if (why != null) {
                    LOG.warn("tenant {} files: record {} skipped: {}", tenants.get(tenantId).name(), r.id(), why);
                    work.skipped();
                    continue;
                }
                work.add(FileActivity.of(record, r.created() == null ? null : r.created().toInstant()));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("tenant {} files: record {} skipped: unreadable ({})", tenants.get(tenantId).name(), r.id(),
                        e.getMessage());
                work.skipped();
            }
        }
        return work;
    }

    private static long[] max(long[] a, long[] b) {
        return a[0] > b[0] || (a[0] == b[0] && a[1] >= b[1]) ? a : b;
    }

    private record Row(long epoch, long seq, String id, Timestamp created, String raw) {
    }
}
