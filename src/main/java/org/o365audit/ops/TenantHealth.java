package org.o365audit.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.Tenant;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness per tenant ("o365Tenants" in the readiness group): down while any tenant cannot collect, that is
 * a content type or feed in state ERROR (the token endpoint refuses the credentials, auditing is off (AF20023),
 * 5xx again and again). Back up with the next successful poll. Paused tenants do not count as down. The Graph
 * components (accounts, apps, signins) are listed with their status but their errors do not make the tenant down.
 */
@Component("o365Tenants")
public class TenantHealth implements HealthIndicator {
    private final TenantRegistry tenants;
    private final CollectorStatus status;

    public TenantHealth(TenantRegistry tenants, CollectorStatus status) {
        this.tenants = tenants;
        this.status = status;
    }

    @Override
    public Health health() {
        boolean down = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Tenant t : tenants.all()) {
            List<ComponentStatus> cs = status.of(t.tenantId());
            String worst = worst(cs);
            // a Graph component Microsoft refuses (a permission not granted, no licence) is reported here but does not
            // take the instance out of readiness: the audit trail, the activities, still flows
            down |= worst(cs.stream().filter(c -> !c.kind().equals(CollectorStatus.GRAPH)).toList()).equals("error");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", worst);
            cs.stream().filter(c -> c.errorCode() != null).forEach(c -> d.put(c.name(), c.errorCode() + ": " + c.message()));
            cs.stream().filter(c -> c.kind().equals(CollectorStatus.GRAPH))
                    .forEach(c -> d.putIfAbsent(c.name(), c.status()));
            details.put(t.name(), d);
        }
        return (down ? Health.down() : Health.up()).withDetails(details).build();
    }

    /** error beats warning beats paused beats healthy. */
    static String worst(List<ComponentStatus> cs) {
        String worst = "healthy";
        for (ComponentStatus c : cs) {
            String s = c.status();
            if (rank(s) > rank(worst)) {
                worst = s;
            }
        }
        return worst;
    }

    private static int rank(String s) {
        return switch (s) {
            case "error" -> 3;
            case "warning" -> 2;
            case "paused" -> 1;
            default -> 0;
        };
    }
}
