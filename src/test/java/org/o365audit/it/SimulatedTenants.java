package org.o365audit.it;

import java.util.List;
import java.util.UUID;
import org.o365audit.config.TenantProperties;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.SimulatedTenant;

/** A tenant on a simulator with an app registration (a fresh client secret), configured as the collector reads it. */
final class SimulatedTenants {
    private SimulatedTenants() {
    }

    static TenantProperties register(ManagementApiSimulator microsoft, String tenantId, String name, List<String> contentTypes) {
        SimulatedTenant sim = microsoft.tenant(tenantId);
        String clientId = UUID.randomUUID().toString();
        String secret = UUID.randomUUID().toString();
        sim.registerSecret(clientId, secret);
        TenantProperties p = new TenantProperties();
        p.setName(name);
        p.setTenantId(tenantId);
        p.setClientId(clientId);
        p.setClientSecret(secret);
        p.setApiUrl(microsoft.baseUrl());
        p.setLoginUrl(microsoft.baseUrl());
        p.setContentTypes(contentTypes);
        return p;
    }
}
