package org.o365audit.record;

import java.time.Instant;

/**
 * An audit record ready to store: its raw JSON, untouched, and the fields derived from it. The actor fields come
 * from the tenant's directory and app inventory (the accounts and apps components) as they stood at collection;
 * null when the tenant has no such component or the user or app is not known.
 */
public record AuditEvent(
        String tenantId,
        String tenantName,
        String id,
        String contentType,
        String contentId,
        Instant creationTime,
        Instant collectedAt,
        Long lagSeconds,
        String workload,
        Integer recordType,
        String recordTypeName,
        String operation,
        String userId,
        String clientIp,
        String app,
        String raw,
        String source,
        String actorDisplayName,
        String actorDepartment,
        String actorGroups,
        Boolean actorOnPremisesSync,
        String actorAppId,
        String actorAppName) {
}
