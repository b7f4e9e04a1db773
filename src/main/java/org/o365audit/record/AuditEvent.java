package org.o365audit.record;

import java.time.Instant;

/** An audit record ready to store: its raw JSON, untouched, and the fields derived from it. */
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
        String source) {
}
