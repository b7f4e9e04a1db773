package org.o365audit.demo;

import java.time.Clock;
import java.util.UUID;
import org.o365audit.auth.PinnedCertificates;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.O365Properties;
import org.o365audit.config.SimulatorMode;
import org.o365audit.config.TenantProperties;
import org.o365audit.simulator.DemoFeed;
import org.o365audit.simulator.DemoFiles;
import org.o365audit.simulator.DemoGraph;
import org.o365audit.simulator.ManagementApiSimulator;
import org.o365audit.simulator.SimulatedTenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * While nothing real is configured ({@link SimulatorGate}), or with o365.simulator.mode=always, starts the
 * simulated Microsoft endpoints (HTTPS token endpoint, Management Activity API, Power BI admin activity events,
 * a Dataverse environment's audit table, Microsoft Graph's directory, apps and sign-in log) with a TLS certificate made for this start, and collects a simulated
 * tenant from them through the production path: msal4j, the same HTTP client, paging, the ledger, the
 * delayed-feed re-scan and the store.
 */
@Component
public class SimulatedTenantSetup implements DisposableBean {
    public static final String TENANT_ID = "5b7c1c9e-3a1d-4c55-9f0e-0d6f4f3b2a10";
    public static final String CLIENT_ID = "0c2f7e0a-8f53-4a4b-a4c2-3b8f1d3e9a77";
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedTenantSetup.class);

    private ManagementApiSimulator simulator;
    private AutoCloseable trickle;
    private AutoCloseable delayedTrickle;
    private AutoCloseable fileStory;

    public SimulatedTenantSetup(O365Properties props, TenantRegistry tenants, PinnedCertificates tls, Clock clock,
                                @Value("${spring.datasource.url:}") String datasourceUrl) {
        SimulatorGate.Decision decision = SimulatorGate.decide(props, datasourceUrl);
        if (!decision.on()) {
            if (props.getSimulator().getMode() == SimulatorMode.AUTO) {
                LOG.info("simulator off: {}", decision.reason());
            }
            return;
        }
        simulator = ManagementApiSimulator.start(props.getSimulator().getPort(), clock);
        String secret = UUID.randomUUID().toString();
        SimulatedTenant sim = simulator.tenant(TENANT_ID);
        sim.registerSecret(CLIENT_ID, secret);
        DemoFeed.populate(sim, clock, props.getSimulator().getHistory(), props.getSimulator().getBlobInterval());
        trickle = DemoFeed.startTrickle(sim, clock, props.getSimulator().getTrickle());
        // the delayed feeds: Power BI activity events and a Dataverse environment, events visible 1-72 h late
        DemoFeed.populateDelayed(sim, clock, props.getSimulator().getHistory());
        delayedTrickle = DemoFeed.startDelayedTrickle(sim, clock, props.getSimulator().getTrickle(),
                props.getSimulator().getHistory());
        String dataverseUrl = sim.dataverse("contoso").url();
        // Microsoft Graph: accounts and groups, third-party apps, the sign-in log
        DemoGraph.populate(sim, clock);
        // files in SharePoint and OneDrive, and every three trickles a step of a sharing story in the feed
        fileStory = DemoFiles.start(sim, clock, props.getSimulator().getTrickle().multipliedBy(3));

        TenantProperties t = new TenantProperties();
        t.setName("simulated-contoso");
        t.setTenantId(TENANT_ID);
        t.setClientId(CLIENT_ID);
        t.setClientSecret(secret);
        t.setApiUrl(simulator.baseUrl());
        t.setLoginUrl(simulator.baseUrl());
        t.getPowerbi().setEnabled(true);
        t.getPowerbi().setApiUrl(simulator.baseUrl() + "/powerbi");
        t.getDataverse().setEnvironments(java.util.List.of(dataverseUrl));
        t.setComponents(java.util.List.of("activities", "accounts", "apps", "signins", "files"));
        t.setGraphUrl(simulator.graphUrl());
        // every governance action, as dry runs only: a newcomer can try one (POST /api/governance/simulated-contoso/
        // suspend-user) and see exactly what it would change, and nothing is ever changed
        t.getGovernance().setActions(org.o365audit.config.GovernanceAction.keys());
        t.getGovernance().setDryRunOnly(true);
        // the simulator's certificate was made a moment ago: the collector trusts it, and only it, for this tenant
        tls.pin(TENANT_ID, simulator.certificate());
        tenants.add(t.resolve(props.getTenants().size()));
        LOG.info("{}: collecting the built-in simulated tenant 'simulated-contoso' from {} "
                + "(configure o365.tenants to collect a real tenant)", decision.reason(), simulator.baseUrl());
    }

    @Override
    public void destroy() throws Exception {
        if (trickle != null) {
            trickle.close();
        }
        if (delayedTrickle != null) {
            delayedTrickle.close();
        }
        if (fileStory != null) {
            fileStory.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }
}
