package org.o365audit.sink;

import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.stereotype.Component;

/**
 * The sinks that deliver: every enabled entry of o365.sinks (SinkRoutes starts them, possibly after this is
 * first asked) and every sink route declared in route YAML only. What must wait for "every sink has it", such
 * as retention, asks here, so a sink declared in YAML holds it back as well as a configured one.
 */
@Component
public class RunningSinks {
    private final SinkSettings settings;
    private final CamelContext camel;

    public RunningSinks(SinkSettings settings, CamelContext camel) {
        this.settings = settings;
        this.camel = camel;
    }

    /** True while at least one sink is configured or running: only then does anything read the delivery order. */
    public boolean any() {
        return !names().isEmpty();
    }

    public Set<String> names() {
        Set<String> names = new TreeSet<>(settings.enabled());
        for (Route r : camel.getRoutes()) {
            if (SinkRoutes.isSinkRoute(r)) {
                names.add(SinkRoutes.sinkName(r));
            }
        }
        return names;
    }
}
