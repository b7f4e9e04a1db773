package org.o365audit.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.camel.Header;
import org.o365audit.config.O365Properties;
import org.o365audit.config.TenantComponent;
import org.o365audit.record.Headers;
import org.springframework.stereotype.Component;

/**
 * When a Graph component is due. Its Quartz trigger ticks every {@code GraphProperties#tickOf} (its interval, at
 * most a minute) and each tick
 * asks here first; the component's own interval (o365.graph.*-interval, up to an hour) is kept here, not by Quartz.
 * Why: Quartz may fire a trigger up to 2 ms before its time and camel-quartz then skips that first fire as "before
 * the trigger's start time"; with an hour between fires that cost the apps component its first hour. A tick lost
 * now costs one tick. A run that failed is tried again after {@link #RETRY_AFTER_FAILURE} (or its interval when
 * shorter), not at every tick. Per process: after a restart, or on another node of a cluster, a component is due
 * at its first tick, so a cluster of n nodes may run it up to n times in one interval (its results are idempotent).
 */
@Component
public class GraphSchedule {
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(5);

    private record Run(Instant startedAt, boolean failed) {
    }

    private final ConcurrentMap<String, Run> runs = new ConcurrentHashMap<>();
    private final O365Properties props;
    private final Clock clock;

    public GraphSchedule(O365Properties props, Clock clock) {
        this.props = props;
        this.clock = clock;
    }

    /** True when the component should run now; then its run is recorded as started. */
    public boolean due(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.COMPONENT) String component) {
        TenantComponent c = TenantComponent.fromKey(component);
        Duration interval = props.getGraph().intervalOf(c);
        Duration wait = interval.minus(props.getGraph().tickOf(c).dividedBy(2));
        Instant now = clock.instant();
        Run last = runs.get(key(tenantId, component));
        if (last != null) {
            Duration since = Duration.between(last.startedAt(), now);
            Duration needed = last.failed() && RETRY_AFTER_FAILURE.compareTo(wait) < 0 ? RETRY_AFTER_FAILURE : wait;
            if (since.compareTo(needed) < 0) {
                return false;
            }
        }
        runs.put(key(tenantId, component), new Run(now, false));
        return true;
    }

    /** For the route's filter: true ends the tick without a run. */
    public boolean notDue(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.COMPONENT) String component) {
        return !due(tenantId, component);
    }

    /** The run started last failed (GraphFailures). */
    public void failed(String tenantId, String component) {
        runs.computeIfPresent(key(tenantId, component), (k, r) -> new Run(r.startedAt(), true));
    }

    private static String key(String tenantId, String component) {
        return tenantId + "|" + component;
    }
}
