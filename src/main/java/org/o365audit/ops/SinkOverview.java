package org.o365audit.ops;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.o365audit.sink.SetAsideResends;
import org.o365audit.sink.SinkBackoff;
import org.o365audit.sink.SinkMetrics;
import org.o365audit.sink.SinkPositions;
import org.o365audit.sink.SinkRoutes;
import org.o365audit.sink.SinkSettings;
import org.springframework.stereotype.Component;

/**
 * Every running sink (a route with id {@code sink-<name>}, from o365.sinks or declared in route YAML) and how
 * it is doing: delivered, set aside, waiting, failing.
 */
@Component
public class SinkOverview {
    private final CamelContext camel;
    private final SinkPositions positions;
    private final SinkBackoff backoff;
    private final SinkMetrics metrics;
    private final SinkSettings settings;
    private final SetAsideResends resends;

    public SinkOverview(CamelContext camel, SinkPositions positions, SinkBackoff backoff, SinkMetrics metrics,
                        SinkSettings settings, SetAsideResends resends) {
        this.resends = resends;
        this.camel = camel;
        this.positions = positions;
        this.backoff = backoff;
        this.metrics = metrics;
        this.settings = settings;
    }

    public List<SinkState> all() {
        return camel.getRoutes().stream().filter(SinkRoutes::isSinkRoute)
                .map(this::state).sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public SinkState get(String name) {
        Route r = camel.getRoute("sink-" + name);
        return r == null || !SinkRoutes.isSinkRoute(r) ? null : state(r);
    }

    private SinkState state(Route r) {
        String name = SinkRoutes.sinkName(r);
        var cfg = settings.all().get(name);
        String type = cfg != null && cfg.get("type") != null ? cfg.get("type") : "declared in routes/";
        var p = positions.find(name);
        int failures = backoff.failures(name);
        String refusal = backoff.refusal(name);
        long lag = metrics.lagRecords(name);
        String state = refusal != null ? "refused" : failures > 0 ? "failing" : lag > 0 ? "delivering" : "idle";
        String status = refusal != null || failures >= 3 ? "error" : failures > 0 ? "warning" : "healthy";
        String message = refusal != null
                ? "The destination refuses the batch: " + refusal + ". Nothing is set aside: the batch waits and is"
                + " tried again (at least every " + backoff.refusalCeiling().toSeconds() + " s) until the destination"
                + " takes it. Check the sink's url and credentials, or the destination's settings."
                : failures > 0 ? failures + " failed attempt(s) in a row; the batch is retried with back-off"
                + " (see the log for the destination's answer)" : "";
        return new SinkState(name, type, state, status, p.map(SinkPositions.Position::delivered).orElse(0L),
                p.map(SinkPositions.Position::setAside).orElse(0L), lag, metrics.lagSeconds(name), failures,
                p.map(x -> x.epoch() + "/" + x.seq()).orElse("-"), message, refusal == null ? "" : refusal,
                resends.pending(name));
    }

    /**
     * One sink as the status page, JMX and health show it.
     *
     * @param state idle, delivering, failing (retried with back-off) or refused (the destination refuses: fix a setting)
     * @param reason while refused, the destination's answer (status and its words), else empty
     */
    public record SinkState(String name, String type, String state, String status, long delivered, long setAside,
                            long lagRecords, long lagSeconds, int failures, String position, String message,
                            String reason, long resendPending) {
    }
}
