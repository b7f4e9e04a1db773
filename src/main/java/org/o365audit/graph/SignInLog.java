package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.o365audit.api.ContentBlob;
import org.o365audit.api.GraphClient;
import org.o365audit.api.GraphErrors;
import org.o365audit.api.ManagementApiException;
import org.o365audit.collect.CollectorEvents;
import org.o365audit.collect.FeedSources;
import org.o365audit.collect.RecordBatch;
import org.o365audit.collect.SignInKind;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.Tenant;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.record.EnrichedBatch;
import org.o365audit.record.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The signins component (routes/graph-signins.camel.yaml): each run reads the Graph sign-in log from a few minutes
 * before the stored cursor (sign-ins appear minutes late; the first run goes back {@link #FIRST_RUN}) up to now,
 * page by page, and stores the sign-ins as records; the cursor moves only after the whole window is stored. With
 * {@code sign-ins: interactive-and-legacy} only interactive and legacy-protocol sign-ins are kept ({@link SignInKind}).
 * A tenant without the Entra ID P1/P2 licence is asked again only after {@link #LICENCE_RETRY}.
 */
@Component("signInLog")
public class SignInLog {
    static final String COMPONENT = "signins";
    static final Duration FIRST_RUN = Duration.ofDays(7);
    static final Duration OVERLAP = Duration.ofMinutes(10);
    static final Duration LICENCE_RETRY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");

    private final TenantRegistry tenants;
    private final GraphClient graph;
    private final SignInCursor cursor;
    private final CollectorEvents status;
    private final Clock clock;
    /** Per tenant since this process started: stored, left out (each sign-in once, not again in the overlap). */
    private final java.util.Map<String, long[]> totals = new java.util.concurrent.ConcurrentHashMap<>();

    public SignInLog(TenantRegistry tenants, GraphClient graph, SignInCursor cursor, CollectorEvents status, Clock clock) {
        this.tenants = tenants;
        this.graph = graph;
        this.cursor = cursor;
        this.status = status;
        this.clock = clock;
    }

    /** True while a missing licence is waited out: the run ends without asking Graph. */
    public boolean waitingForLicence(@Header(Headers.TENANT_ID) String tenantId) {
        Instant retry = cursor.get(tenantId).licenceRetryAt();
        return retry != null && clock.instant().isBefore(retry);
    }

    /** This run's window, with its first page read (a refusal, such as no licence, fails the run here). */
    public SignInWindow window(@Header(Headers.TENANT_ID) String tenantId) {
        Tenant tenant = tenants.get(tenantId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant until = cursor.get(tenantId).collectedUntil();
        SignInWindow w = new SignInWindow(until == null ? now.minus(FIRST_RUN) : until.minus(OVERLAP), now, until);
        w.firstPage = page(tenant, graph.url(tenant, "/auditLogs/signIns?$filter=createdDateTime%20ge%20" + w.start
                + "%20and%20createdDateTime%20le%20" + w.end + "&$top=1000"));
        return w;
    }

    /** The window's pages as record batches, fetched lazily by {@code @odata.nextLink}. */
    public Iterator<RecordBatch> pages(@Header(Headers.TENANT_ID) String tenantId, SignInWindow w) {
        Tenant tenant = tenants.get(tenantId);
        ContentBlob slice = new ContentBlob(FeedSources.GRAPH_SIGNINS_CONTENT, COMPONENT + "@" + w.start, null, null, null);
        return new Iterator<>() {
            private JsonNode nextPage = w.firstPage;

            @Override
            public boolean hasNext() {
                return nextPage != null;
            }

            @Override
            public RecordBatch next() {
                if (nextPage == null) {
                    throw new NoSuchElementException();
                }
                JsonNode current = nextPage;
                URI next = GraphClient.nextLink(current);
                nextPage = next == null ? null : page(tenant, next);
                return batch(tenant, slice, current, w);
            }
        };
    }

    /** After each page is stored. */
    public void pageStored(@Header(Headers.TENANT_ID) String tenantId, EnrichedBatch batch,
            @ExchangeProperty("O365SignInWindow") SignInWindow w) {
        BlobStats s = batch.stats();
        w.stored += s.storedCount();
        w.duplicates += s.duplicateCount();
        status.collected(tenantId, COMPONENT, s, false);
    }

    /** The whole window is stored: the cursor moves to its end. */
    public void windowStored(@Header(Headers.TENANT_ID) String tenantId, SignInWindow w) {
        cursor.collectedUntil(tenantId, w.end);
        status.succeeded(tenantId, COMPONENT);
        long[] t = totals.computeIfAbsent(tenantId, k -> new long[2]);
        String summary;
        synchronized (t) {
            t[0] += w.stored;
            t[1] += w.filtered;
            summary = String.format("%,d sign-ins stored", t[0])
                    + (tenants.get(tenantId).interactiveSignInsOnly()
                            ? String.format(", %,d non-interactive left out", t[1]) : "")
                    + " since start; complete up to " + w.end;
        }
        status.summary(tenantId, COMPONENT, summary);
        LOG.debug("tenant {} signins: window {}: {} stored, {} already stored, {} non-interactive left out",
                tenants.get(tenantId).name(), w, w.stored, w.duplicates, w.filtered);
    }

    private RecordBatch batch(Tenant tenant, ContentBlob slice, JsonNode page, SignInWindow w) {
        BlobStats stats = new BlobStats(slice);
        List<RecordBatch.RawRecord> records = new ArrayList<>();
        for (JsonNode signIn : page.path("value")) {
            if (tenant.interactiveSignInsOnly() && !SignInKind.ofGraph(signIn).kept()) {
                stats.filtered(1);
                if (w.fresh == null || !created(signIn).isBefore(w.fresh)) {
                    w.filtered++;
                }
            } else {
                records.add(SignInRecords.of(signIn));
            }
        }
        return new RecordBatch(new BlobContent(tenant, slice, null, null, stats), records, List.of());
    }

    private static Instant created(JsonNode signIn) {
        try {
            return Instant.parse(signIn.path("createdDateTime").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.MAX;
        }
    }

    private JsonNode page(Tenant tenant, URI uri) {
        try {
            return graph.get(tenant, uri, "sign-in log");
        } catch (ManagementApiException e) {
            if (GraphErrors.licenceMissing(e)) {
                cursor.licenceMissing(tenant.tenantId(), clock.instant().plus(LICENCE_RETRY));
            }
            throw e;
        }
    }
}
