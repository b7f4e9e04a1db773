package org.o365audit.collect;

import java.time.Instant;
import java.util.List;
import org.o365audit.config.Tenant;
import org.o365audit.record.BlobStats;

/**
 * What the collecting steps report as they go, per tenant and component (a content type, or a delayed feed by its
 * description). The operations layer keeps it as status and meters ({@code ops.CollectorStatus}); the interface
 * lives here so that collect and delayed report upwards without depending on ops.
 */
public interface CollectorEvents {

    /** The tenant's routes are being added: its content types and delayed feeds become components. */
    void register(Tenant tenant);

    /** Where a component's stored cursor stands when its route is added (null: none yet). */
    void cursorFrom(String tenantId, String name, Instant cursor);

    void newestEvent(String tenantId, String name, Instant newest);

    void paused(String tenantId, boolean paused);

    void pollStarted(String tenantId, String name);

    void planned(String tenantId, String name, List<ListingWindow> windows);

    void windowDone(String tenantId, String name, ListingWindow window, boolean cursorMoved);

    /** Records of one blob (or one delayed-feed page when {@code blob} is false) were stored. */
    void collected(String tenantId, String name, BlobStats stats, boolean blob);

    void succeeded(String tenantId, String name);

    void settled(String tenantId, String name, Instant settledUntil);

    void failed(String tenantId, String name, Throwable e);

    /** What a Graph component holds now, in words for the page ("1,204 users, 87 groups, ..."). */
    void summary(String tenantId, String name, String summary);
}
