package org.o365audit.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.o365audit.collect.NotifiedBlobs;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook of the Management Activity API (push, o365.tenants[i].webhook): Microsoft posts here, without a login
 * (SecurityConfiguration lets this path through); the Webhook-AuthID header is the authentication, compared in
 * constant time with the tenant's auth id. A validation request (Webhook-ValidationCode) is answered 200. A
 * notification (a JSON array of content objects, of any length up to {@value #MAX_BODY} bytes) is answered 200 at
 * once and its blobs are collected behind it (collect/NotifiedBlobs).
 */
@RestController
public class NotificationController {
    /** Microsoft caps the array (its length may change); this only refuses an absurd body (413). */
    static final int MAX_BODY = 8 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(NotificationController.class);

    private final TenantRegistry tenants;
    private final NotifiedBlobs blobs;
    private final ObjectMapper mapper;
    private final Set<String> refusedOnce = ConcurrentHashMap.newKeySet();

    public NotificationController(TenantRegistry tenants, NotifiedBlobs blobs, ObjectMapper mapper) {
        this.tenants = tenants;
        this.blobs = blobs;
        this.mapper = mapper;
    }

    @PostMapping("/api/o365/notifications/{tenant}")
    public ResponseEntity<Void> notify(@PathVariable("tenant") String name, HttpServletRequest request) throws IOException {
        Tenant tenant = tenants.all().stream().filter(Tenant::pushEnabled)
                .filter(t -> t.tenantId().equalsIgnoreCase(name) || t.name().equals(name)).findFirst().orElse(null);
        if (tenant == null || !authentic(tenant, request.getHeader("Webhook-AuthID"))) {
            // no detail for the caller; one line for the operator (never the header's value)
            // keyed by the configured tenant (or one key for all unknown names), so a flood of names cannot grow it
            if (refusedOnce.add(tenant == null ? "" : tenant.tenantId())) {
                LOG.warn("webhook for {}: a POST {}, refused (403); further refusals are not logged",
                        name.replaceAll("[^A-Za-z0-9._-]", "?"), tenant == null ? "for no tenant with push on"
                                : "with a missing or wrong Webhook-AuthID");
            }
            return ResponseEntity.status(403).build();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            LOG.warn("tenant {}: a webhook notification of more than {} bytes refused (413)", tenant.name(), MAX_BODY);
            return ResponseEntity.status(413).build();
        }
        String validation = request.getHeader("Webhook-ValidationCode");
        JsonNode json;
        try {
            json = body.length == 0 ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            json = null;
        }
        if (validation != null || (json != null && json.isObject() && json.has("validationCode"))) {
            LOG.info("tenant {}: webhook validated by Microsoft", tenant.name());
            return ResponseEntity.ok().build();
        }
        if (json == null || !json.isArray()) {
            LOG.warn("tenant {}: a webhook notification that is not a JSON array refused (400): {} bytes starting {}",
                    tenant.name(), body.length, new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8)
                            .replaceAll("\\p{Cntrl}", "?"));
            return ResponseEntity.badRequest().build();
        }
        try {
            int queued = blobs.accept(tenant, json);
            LOG.debug("tenant {}: webhook notification of {} blob(s), {} queued", tenant.name(), json.size(), queued);
        } catch (RuntimeException e) {
            // the queue is full or the collector is stopping: Microsoft retries, the safety-net poll catches up
            LOG.warn("tenant {}: a webhook notification could not be queued (503): {}", tenant.name(), e.getMessage());
            return ResponseEntity.status(503).build();
        }
        return ResponseEntity.ok().build();
    }

    private static boolean authentic(Tenant tenant, String header) {
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                tenant.webhookAuthId().getBytes(StandardCharsets.UTF_8));
    }
}
