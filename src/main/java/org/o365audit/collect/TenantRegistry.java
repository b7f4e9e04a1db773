package org.o365audit.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.o365audit.config.TenantProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The tenants being collected: those configured under o365.tenants, plus the simulated one in demo mode. */
@Component
public class TenantRegistry {
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

    public TenantRegistry(O365Properties props, Environment env) {
        // o365.tenants as written must bind whole: a key that fell through is a start-up error, not a missing tenant
        TenantProperties.bindStrictly(Binder.get(env));
        for (int i = 0; i < props.getTenants().size(); i++) {
            add(props.getTenants().get(i).resolve(i));
        }
    }

    public void add(Tenant tenant) {
        if (tenants.putIfAbsent(tenant.tenantId(), tenant) != null) {
            throw new IllegalArgumentException("tenant " + tenant.tenantId() + " is configured twice");
        }
    }

    public void remove(String tenantId) {
        tenants.remove(tenantId);
    }

    public Tenant get(String tenantId) {
        Tenant t = tenants.get(tenantId);
        if (t == null) {
            throw new IllegalArgumentException("no tenant " + tenantId);
        }
        return t;
    }

    public List<Tenant> all() {
        return new ArrayList<>(tenants.values());
    }
}
