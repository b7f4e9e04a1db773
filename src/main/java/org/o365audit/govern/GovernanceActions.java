package org.o365audit.govern;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.o365audit.config.GovernanceAction;
import org.o365audit.record.Headers;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * How REST and JMX ask for an action: through its route ({@code direct:<action>}), the one place an action happens,
 * with the headers of the route's contract. The answer is the route's result, never an exception for what Microsoft
 * answered.
 */
@Component
public class GovernanceActions {
    private final ProducerTemplate producer;

    public GovernanceActions(@Lazy ProducerTemplate producer) {
        this.producer = producer;
    }

    public GovernanceResult run(GovernanceAction action, String tenant, String target, boolean dryRun, boolean force,
            String requestedBy, String reason) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(Headers.TENANT_ID, tenant);
        headers.put(GovernanceRequests.TARGET, target);
        headers.put(GovernanceRequests.DRY_RUN, dryRun);
        headers.put(GovernanceRequests.FORCE, force);
        headers.put(GovernanceRequests.REQUESTED_BY, requestedBy);
        if (reason != null) {
            headers.put(GovernanceRequests.REASON, reason);
        }
        return producer.requestBodyAndHeaders("direct:" + action.key(), null, headers, GovernanceResult.class);
    }
}
