package org.o365audit.collect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Header;
import org.o365audit.record.Headers;
import org.o365audit.store.TenantControl;
import org.springframework.stereotype.Component;

/**
 * Whether an operator paused a tenant, as the database says (table tenant_control): every poll asks at its
 * start, so a pause made on one node holds on every node that runs the tenant's jobs. The tenant's status on
 * this node follows what the polls here find.
 */
@Component("tenantPause")
public class TenantPause {
    private final TenantControl control;
    private final CollectorEvents status;
    /** What this node's status last showed per tenant, so it changes only when the flag does. */
    private final Map<String, Boolean> shown = new ConcurrentHashMap<>();

    public TenantPause(TenantControl control, CollectorEvents status) {
        this.control = control;
        this.status = status;
    }

    /** A poll's first step: true ends the poll at once. */
    public boolean isPaused(@Header(Headers.TENANT_ID) String tenantId) {
        boolean paused = control.isPaused(tenantId);
        show(tenantId, paused);
        return paused;
    }

    /** Asked before each listing page of a poll under way, so a long backfill stops soon after a pause too. */
    public boolean pausedNow(String tenantId) {
        return isPaused(tenantId);
    }

    /** An operator's pause or resume, on this node: into the database, for every node. */
    public void set(String tenantId, boolean paused) {
        control.setPaused(tenantId, paused);
        show(tenantId, paused);
    }

    private void show(String tenantId, boolean paused) {
        Boolean before = shown.put(tenantId, paused);
        if (before == null || before != paused) {
            status.paused(tenantId, paused);
        }
    }
}
