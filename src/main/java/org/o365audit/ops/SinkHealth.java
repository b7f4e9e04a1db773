package org.o365audit.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness per sink ("o365Sinks"): down while a destination refuses a sink's batch (with its answer in the
 * details) or a sink has failed three deliveries in a row.
 */
@Component("o365Sinks")
public class SinkHealth implements HealthIndicator {
    private final SinkOverview sinks;

    public SinkHealth(SinkOverview sinks) {
        this.sinks = sinks;
    }

    @Override
    public Health health() {
        boolean down = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (SinkOverview.SinkState s : sinks.all()) {
            down |= s.status().equals("error");
            details.put(s.name(), s.status() + (s.state().equals("refused") ? " (refused: " + s.reason() + ")"
                    : s.failures() > 0 ? " (" + s.failures() + " failures in a row)" : ""));
        }
        return (down ? Health.down() : Health.up()).withDetails(details).build();
    }
}
