package org.o365audit.collect;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.o365audit.api.ContentBlob;
import org.o365audit.config.ContentType;
import org.o365audit.config.Tenant;
import org.o365audit.record.Headers;
import org.o365audit.record.Texts;
import org.o365audit.store.BlobKeys;
import org.o365audit.store.BlobLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Blobs Microsoft announced by webhook: each entry checked (this tenant, a content type it collects, a contentUri on
 * its API host), queued to routes/notified-blobs.camel.yaml, and collected there through the poller's exactly-once
 * path (download, then direct:collect-blob with the ledger). A blob already in the ledger (a repeated or late
 * notification, or one the poll got first) is skipped; a failure is counted like a poll's and the safety-net poll
 * collects the blob later. The listing cursor never moves for a notification, so order does not matter.
 */
@Component("notifiedBlobs")
public class NotifiedBlobs {
    public static final String QUEUE = "seda:o365-notified";
    public static final String VIA = "O365Via";
    private static final String IN_FLIGHT = "O365NotifiedInFlight";
    private final Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final Logger LOG = LoggerFactory.getLogger(NotifiedBlobs.class);

    private final ProducerTemplate producer;
    private final BlobLedger ledger;
    private final PollProgress progress;
    private final TenantRegistry tenants;

    public NotifiedBlobs(@Lazy ProducerTemplate producer, BlobLedger ledger, @Lazy PollProgress progress, TenantRegistry tenants) {
        this.producer = producer;
        this.ledger = ledger;
        this.progress = progress;
        this.tenants = tenants;
    }

    /** Queues the notification's valid entries; returns how many. An entry that does not fit is logged and left out. */
    public int accept(Tenant tenant, JsonNode notification) {
        int queued = 0;
        int index = 0;
        for (JsonNode n : notification) {
            ContentBlob blob;
            try {
                blob = blob(tenant, n);
            } catch (IllegalArgumentException e) {
                LOG.warn("tenant {}: notification entry {} left out (the safety-net poll lists what is really there): {}",
                        tenant.name(), index, e.getMessage());
                index++;
                continue;
            }
            producer.sendBodyAndHeaders(QUEUE, ListedBlob.fresh(blob),
                    Map.of(Headers.TENANT_ID, tenant.tenantId(), Headers.CONTENT_TYPE, blob.contentType()));
            queued++;
            index++;
        }
        return queued;
    }

    /** The entry as a blob to collect, or why not. */
    static ContentBlob blob(Tenant tenant, JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!tenant.tenantId().equalsIgnoreCase(n.path("tenantId").asText())) {
            throw new IllegalArgumentException("tenantId " + Texts.printable(n.path("tenantId").asText(), 80)
                    + " is not this tenant's");
        }
        String type = n.path("contentType").asText();
        String known = tenant.contentTypes().stream().filter(t -> t.equalsIgnoreCase(type)).findFirst().orElse(null);
        if (known == null || !ContentType.ALL.contains(known)) {
            throw new IllegalArgumentException("content type " + Texts.printable(type, 80) + " is not collected here");
        }
        String id = n.path("contentId").asText();
        String uri = n.path("contentUri").asText();
        if (id.isBlank() || uri.isBlank()) {
            throw new IllegalArgumentException("contentId or contentUri missing");
        }
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("contentUri is not a URL");
        }
        URI origin = tenant.apiOrigin();
        // the token only ever goes to the tenant's API host (BlobDownloader checks again before it sends it)
        if (!origin.getScheme().equalsIgnoreCase(String.valueOf(parsed.getScheme()))
                || !origin.getHost().equalsIgnoreCase(String.valueOf(parsed.getHost())) || origin.getPort() != parsed.getPort()) {
            throw new IllegalArgumentException("contentUri is not on the tenant's API host " + origin);
        }
        return new ContentBlob(known, id, uri, instant(n.path("contentCreated").asText(null)),
                instant(n.path("contentExpiration").asText(null)));
    }

    private static Instant instant(String s) {
        try {
            return s == null || s.isBlank() ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 time: " + Texts.printable(s, 80));
        }
    }

    /**
     * True when the blob is in the ledger already (the notification came again, late, or after the poll) or is being
     * collected from another notification right now (Microsoft repeats notifications, and two consumers take them):
     * then this one does nothing. Otherwise the blob is marked in flight until {@link #done} for this exchange.
     */
    public boolean collected(@Header(Headers.TENANT_ID) String tenantId, ListedBlob listed, Exchange exchange) {
        String key = BlobKeys.of(listed.blob().contentId());
        if (ledger.collectedAmong(tenantId, Set.of(key)).contains(key)) {
            return true;
        }
        if (!inFlight.add(tenantId + "|" + key)) {
            return true;
        }
        exchange.setProperty(IN_FLIGHT, tenantId + "|" + key);
        return false;
    }

    /** The blob this exchange collected (or failed to) is no longer in flight. */
    public void done(Exchange exchange) {
        String key = exchange.getProperty(IN_FLIGHT, String.class);
        if (key != null) {
            inFlight.remove(key);
        }
    }

    /** Counted like a poll's blob failure; whatever it was, the safety-net poll lists the blob again. */
    public void failed(@Header(Headers.TENANT_ID) String tenantId, @ExchangeProperty(Headers.BLOB) ListedBlob listed,
            Exchange exchange) {
        try {
            progress.blobFailed(tenantId, listed, exchange);
        } catch (Exception e) {
            LOG.warn("tenant {} {} notified blob {}: not collected now ({}); the safety-net poll collects it",
                    tenants.get(tenantId).name(), listed.blob().contentType(),
                    Texts.printable(listed.blob().contentId(), 600), Texts.printable(String.valueOf(e.getMessage()), 600));
        }
    }
}
