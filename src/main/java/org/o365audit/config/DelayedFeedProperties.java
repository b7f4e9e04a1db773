package org.o365audit.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code o365.delayed.*}: the feeds queried by event time (Power BI activity events, Dataverse audit),
 * whose events can become visible up to 72 hours after they happened.
 */
public class DelayedFeedProperties {
    /** Every cycle re-scans this trailing period of event time; data older than it counts as complete. */
    @NotNull
    private Duration settleWindow = Duration.ofHours(72);
    /** Time between two cycles of one feed. */
    @NotNull
    private Duration pollInterval = Duration.ofMinutes(5);
    /** How far back a feed seen for the first time starts (Power BI keeps 28 days). */
    @NotNull
    private Duration backfill = Duration.ofDays(7);
    /** Power BI admin API requests per tenant per hour (documented limit: 200). */
    private int powerbiRequestsPerHour = 200;
    /** Dataverse rows per page (Prefer: odata.maxpagesize; at most 5000). */
    private int dataversePageSize = 5000;

    public Duration getSettleWindow() {
        return settleWindow;
    }

    public void setSettleWindow(Duration settleWindow) {
        this.settleWindow = settleWindow;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getBackfill() {
        return backfill;
    }

    public void setBackfill(Duration backfill) {
        this.backfill = backfill;
    }

    public int getPowerbiRequestsPerHour() {
        return powerbiRequestsPerHour;
    }

    public void setPowerbiRequestsPerHour(int powerbiRequestsPerHour) {
        this.powerbiRequestsPerHour = powerbiRequestsPerHour;
    }

    public int getDataversePageSize() {
        return dataversePageSize;
    }

    public void setDataversePageSize(int dataversePageSize) {
        this.dataversePageSize = dataversePageSize;
    }
}
