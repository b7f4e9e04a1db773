package org.o365audit.ops;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.o365audit.config.GovernanceAction;
import org.o365audit.govern.GovernanceActions;
import org.o365audit.govern.GovernanceAudit;
import org.o365audit.govern.GovernanceRequests;
import org.o365audit.govern.GovernanceResult;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Governance actions over REST, for role admin (SecurityConfiguration): {@code POST /api/governance/{tenant}/{action}}
 * with {@code {"target": ..., "dryRun": true, "force": false, "reason": ...}} runs the action's route and answers 200
 * with its result, whatever the outcome (refused and failed say so); 404 for an unknown tenant or action.
 * {@code GET /api/governance/actions?tenant=&limit=} lists the latest audit rows.
 */
@RestController
public class GovernanceController {
    private final GovernanceActions actions;
    private final GovernanceRequests requests;
    private final GovernanceAudit audit;

    public GovernanceController(GovernanceActions actions, GovernanceRequests requests, GovernanceAudit audit) {
        this.actions = actions;
        this.requests = requests;
        this.audit = audit;
    }

    /** The request body; dryRun true unless the caller says false. */
    public record ActionRequest(String target, Boolean dryRun, Boolean force, String reason) {
    }

    @PostMapping("/api/governance/{tenant}/{action}")
    public ResponseEntity<?> run(@PathVariable String tenant, @PathVariable String action,
            @RequestBody(required = false) ActionRequest body, Principal user) {
        GovernanceAction a;
        try {
            a = GovernanceAction.fromKey(action);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
        }
        if (requests.find(tenant) == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no tenant '" + tenant
                    + "' is configured (o365.tenants[i].name or tenant-id)"));
        }
        ActionRequest r = body == null ? new ActionRequest(null, null, null, null) : body;
        GovernanceResult result = actions.run(a, tenant, r.target(), r.dryRun() == null || r.dryRun(),
                r.force() != null && r.force(), user == null ? "unknown" : user.getName(), r.reason());
        return ResponseEntity.ok(result);
    }

    @GetMapping("/api/governance/actions")
    public List<Map<String, Object>> latest(@RequestParam(required = false) String tenant,
            @RequestParam(defaultValue = "50") int limit) {
        return audit.latest(tenant, limit);
    }
}
