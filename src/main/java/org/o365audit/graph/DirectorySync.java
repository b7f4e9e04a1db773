package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.o365audit.api.GraphClient;
import org.o365audit.api.GraphErrors;
import org.o365audit.api.TenantHttp;
import org.o365audit.collect.CollectorEvents;
import org.o365audit.collect.TenantPause;
import org.o365audit.collect.TenantPausedException;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.Tenant;
import org.o365audit.record.Headers;
import org.o365audit.store.DeltaLinks;
import org.o365audit.store.DirectoryTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The accounts component (routes/directory-sync.camel.yaml): users, then groups with their membership, kept by Graph
 * delta queries. Each page is applied together with the link to continue from, in one transaction, so a restart (even
 * after kill -9) goes on from the last page applied. A delta link that expired starts a full read under a new round
 * number: the rows stay meanwhile, and when the read completes those it did not see are deleted.
 */
@Component("directorySync")
public class DirectorySync {
    /** Exchange property: the resource the loop is reading (users, groups). */
    public static final String RESOURCE = "O365DirectoryResource";
    /** Exchange property set to true once the resource's round reached its deltaLink. */
    public static final String ROUND_DONE = "O365DirectoryRoundDone";
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");

    private final GraphClient graph;
    private final TenantRegistry tenants;
    private final TenantPause pause;
    private final DeltaLinks links;
    private final DirectoryPages pages;
    private final DirectoryTables tables;
    private final CollectorEvents status;
    private final TransactionTemplate tx;

    public DirectorySync(GraphClient graph, TenantRegistry tenants, TenantPause pause, DeltaLinks links,
            DirectoryTables tables, CollectorEvents status, PlatformTransactionManager txManager) {
        this.graph = graph;
        this.tenants = tenants;
        this.pause = pause;
        this.links = links;
        this.tables = tables;
        this.pages = new DirectoryPages(tables);
        this.status = status;
        this.tx = new TransactionTemplate(txManager);
    }

    /** Reads and applies the next page of the resource's round; sets {@link #ROUND_DONE} after its last page. */
    public void nextPage(@Header(Headers.TENANT_ID) String tenantId, @ExchangeProperty(RESOURCE) String resourceKey,
            Exchange exchange) {
        Tenant tenant = tenants.get(tenantId);
        DirectoryResource resource = DirectoryResource.of(resourceKey);
        if (pause.pausedNow(tenantId)) {
            throw new TenantPausedException(tenant.name());
        }
        DeltaLinks.Position at = links.get(tenantId, resource.key());
        if (at != null && !onGraphHost(tenant, at.link())) {
            // stored while graph-url named another host (a moved private endpoint, the demo's simulator restarted on
            // another port): the token is never sent there, so the directory is read again from this host
            DeltaLinks.Position again = new DeltaLinks.Position(firstCall(tenant, resource), at.round() + 1, true);
            links.put(tenantId, resource.key(), again, true, false);
            LOG.warn("tenant {} accounts: the stored {} link is not on the tenant's Graph host {} (graph-url changed?);"
                    + " reading all {} again (round {}), the stored ones stay until the read completes", tenant.name(),
                    resource.key(), tenant.graphOrigin().getHost(), resource.key(), again.round());
            at = again;
        }
        boolean roundStarts = at == null;
        if (at == null) {
            at = new DeltaLinks.Position(firstCall(tenant, resource), 1, true);
            LOG.info("tenant {} accounts: first full read of {}", tenant.name(), resource.key());
        }
        JsonNode page;
        try {
            page = graph.get(tenant, URI.create(at.link()), resource.key() + " delta");
        } catch (RuntimeException e) {
            if (!GraphErrors.deltaExpired(e) || at.link().equals(firstCall(tenant, resource))) {
                throw e;
            }
            DeltaLinks.Position again = new DeltaLinks.Position(firstCall(tenant, resource), at.round() + 1, true);
            links.put(tenantId, resource.key(), again, true, false);
            LOG.warn("tenant {} accounts: the {} delta link expired ({}); reading all {} again (round {}), the stored "
                    + "ones stay until the read completes", tenant.name(), resource.key(), e.getMessage(), resource.key(),
                    again.round());
            return;
        }
        apply(tenant, resource, at, page, roundStarts, exchange);
    }

    private void apply(Tenant tenant, DirectoryResource resource, DeltaLinks.Position at, JsonNode page,
            boolean roundStarts, Exchange exchange) {
        URI next = GraphClient.nextLink(page);
        URI delta = next == null ? GraphClient.deltaLink(page) : null;
        if (next == null && delta == null) {
            throw new IllegalStateException(resource.key() + " delta page with neither @odata.nextLink nor @odata.deltaLink");
        }
        boolean completes = delta != null;
        int swept = tx.execute(s -> {
            pages.apply(tenant.tenantId(), resource, page.path("value"), at.round());
            int gone = completes && at.fullRead() ? sweep(tenant.tenantId(), resource, at.round()) : 0;
            links.put(tenant.tenantId(), resource.key(), new DeltaLinks.Position(
                    (completes ? delta : next).toString(), at.round(), at.fullRead() && !completes), roundStarts, completes);
            return gone;
        });
        if (completes) {
            exchange.setProperty(ROUND_DONE, true);
            if (at.fullRead()) {
                LOG.info("tenant {} accounts: full read of {} complete (round {}){}", tenant.name(), resource.key(),
                        at.round(), swept > 0 ? "; deleted " + swept + " " + resource.key() + " it no longer found (removed while the link was dead)" : "");
            }
        }
    }

    private int sweep(String tenantId, DirectoryResource resource, long round) {
        return resource == DirectoryResource.USERS ? tables.sweepUsers(tenantId, round) : tables.sweepGroups(tenantId, round);
    }

    /** After both rounds: the component's status says what the tenant's directory holds now. */
    public void completed(@Header(Headers.TENANT_ID) String tenantId, @Header(Headers.COMPONENT) String component) {
        DirectoryTables.Counts c = tables.counts(tenantId);
        status.summary(tenantId, component, String.format(java.util.Locale.ROOT, "%,d users, %,d groups (%,d Microsoft 365),"
                + " %,d memberships", c.users(), c.groups(), c.microsoft365Groups(), c.memberships()));
        status.succeeded(tenantId, component);
    }

    private static boolean onGraphHost(Tenant tenant, String link) {
        try {
            TenantHttp.requireOrigin(tenant.graphOrigin(), URI.create(link), "", "");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String firstCall(Tenant tenant, DirectoryResource resource) {
        return graph.url(tenant, resource.firstCall()).toString();
    }
}
