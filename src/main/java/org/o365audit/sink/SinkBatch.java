package org.o365audit.sink;

import java.util.List;

/**
 * Records claimed by one sink, in delivery order. The id is fixed when the batch is first claimed and stays
 * the same for every retry, also after a restart, so receivers can deduplicate on it (webhook-id,
 * Idempotency-Key). {@code redelivery} is true when this batch was claimed before and may have reached the
 * destination already; {@code done} of its records are known to have been taken by the destination.
 */
public record SinkBatch(String sink, String id, List<SinkRecord> records, boolean redelivery, int done) {
    public static SinkBatch none(String sink) {
        return new SinkBatch(sink, null, List.of(), false, 0);
    }

    /** The same batch (same id) holding only the given records. */
    public SinkBatch with(List<SinkRecord> kept) {
        return new SinkBatch(sink, id, List.copyOf(kept), redelivery, done);
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    public int size() {
        return records.size();
    }
}
