package org.o365audit.ops;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.o365audit.config.Tenant;
import org.o365audit.graph.AuditSearchRequests;
import org.o365audit.store.AuditSearchQueries;
import org.o365audit.store.AuditSearchQuery;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit search over REST: {@code POST /api/audit-search/{tenant}} with
 * {@code {"from", "to", "recordTypes": [], "services": [], "operations": [], "users": []}} queues a query and answers
 * 202 with its id (role admin, SecurityConfiguration); 404 for an unknown tenant, 400 for a bad range or a tenant
 * without audit search. {@code GET /api/audit-search?tenant=&limit=} lists the latest queries.
 */
@RestController
public class AuditSearchController {
    private final AuditSearchRequests requests;
    private final AuditSearchQueries queries;

    public AuditSearchController(AuditSearchRequests requests, AuditSearchQueries queries) {
        this.requests = requests;
        this.queries = queries;
    }

    public record SearchRequest(Instant from, Instant to, List<String> recordTypes, List<String> services,
            List<String> operations, List<String> users) {
    }

    @PostMapping("/api/audit-search/{tenant}")
    public ResponseEntity<Map<String, Object>> search(@PathVariable String tenant, @RequestBody SearchRequest body,
            Principal user) {
        if (requests.find(tenant) == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no tenant '" + tenant
                    + "' is configured (o365.tenants[i].name or tenant-id)"));
        }
        try {
            String id = requests.request(tenant, body.from(), body.to(), new AuditSearchQuery.Filters(body.recordTypes(),
                    body.services(), body.operations(), body.users()), "rest " + (user == null ? "unknown" : user.getName()));
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", id, "status", AuditSearchQuery.PENDING));
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
    }

    @GetMapping("/api/audit-search")
    public List<AuditSearchQuery> latest(@RequestParam(required = false) String tenant,
            @RequestParam(defaultValue = "50") int limit) {
        Tenant t = tenant == null ? null : requests.find(tenant);
        if (tenant != null && t == null) {
            return List.of();
        }
        return queries.latest(t == null ? null : t.tenantId(), limit);
    }
}
