package org.o365audit.record;

import java.util.List;

/** A slice of a blob ready for the store. */
public record EnrichedBatch(BlobStats stats, List<AuditEvent> events, List<BlobDefect> defects) {
}
