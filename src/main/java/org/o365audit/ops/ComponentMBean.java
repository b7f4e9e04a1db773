package org.o365audit.ops;

import java.time.Duration;
import java.time.Instant;
import org.o365audit.config.NodeIdentity;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;

/**
 * o365audit:type=ContentType,tenant=&lt;t&gt;,name=&lt;content type&gt; and o365audit:type=DelayedFeed,...: how one
 * collecting component is doing.
 */
@ManagedResource(description = "A content type, delayed feed or Graph component (type=Component) of a tenant")
public class ComponentMBean extends NodeAttributes {
    private final ComponentStatus c;
    private final Duration lookBack;

    ComponentMBean(ComponentStatus c, Duration lookBack, NodeIdentity node) {
        super(node);
        this.c = c;
        this.lookBack = lookBack;
    }

    @ManagedAttribute(description = "STARTING, RUNNING, PAUSED, BACKING_OFF or ERROR")
    public String getState() {
        return c.state().name();
    }

    @ManagedAttribute(description = "The API's or the token endpoint's error code of the last failure (AF20023, invalid_client, ...)")
    public String getErrorCode() {
        return c.errorCode();
    }

    @ManagedAttribute(description = "What the last failure means and what to do")
    public String getMessage() {
        return c.message();
    }

    @ManagedAttribute(description = "Listing windows before this time are fully collected")
    public String getListingCursor() {
        return text(c.cursor());
    }

    @ManagedAttribute(description = "Every poll lists this trailing period again (o365.look-back)")
    public String getLookBack() {
        return lookBack.toString();
    }

    @ManagedAttribute(description = "Blobs collected since start")
    public long getBlobsCollected() {
        return c.blobs();
    }

    @ManagedAttribute(description = "New records stored since start")
    public long getRecordsCollected() {
        return c.records();
    }

    @ManagedAttribute(description = "Records or blobs set aside in table quarantine since start")
    public long getQuarantined() {
        return c.quarantined();
    }

    @ManagedAttribute(description = "Polls Microsoft throttled since start")
    public long getThrottled() {
        return c.throttledCount();
    }

    @ManagedAttribute(description = "End of the last successful poll")
    public String getLastSuccess() {
        return text(c.lastSuccess());
    }

    @ManagedAttribute(description = "CreationTime of the newest record stored")
    public String getNewestEvent() {
        return text(c.newestEvent());
    }

    @ManagedAttribute(description = "Seconds between now and the newest record stored (-1: none yet)")
    public long getLagSeconds() {
        Long lag = c.lagSeconds(Instant.now());
        return lag == null ? -1 : lag;
    }

    @ManagedAttribute(description = "Delayed feeds: event time before which the data is complete")
    public String getSettledWatermark() {
        return text(c.settledUntil());
    }

    @ManagedAttribute(description = "Catching up (first week, a backfill, after a pause): percent of windows done, 100 when not")
    public double getBackfillPercent() {
        return c.backfill() == null ? 100.0 : c.backfill().percent();
    }

    @ManagedAttribute(description = "Catching up: when it should be done")
    public String getBackfillEta() {
        return c.backfill() == null ? "" : text(c.backfill().eta());
    }

    @ManagedAttribute(description = "Graph components (accounts, apps, signins): what the component holds now")
    public String getSummary() {
        return c.summary();
    }

    @ManagedAttribute(description = "Graph components: the application permissions it needs on Microsoft Graph")
    public String getPermissions() {
        return c.permissions() == null ? "" : c.permissions();
    }

    private static String text(Instant t) {
        return t == null ? "" : t.toString();
    }
}
