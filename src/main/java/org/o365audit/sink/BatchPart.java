package org.o365audit.sink;

/**
 * The records {@code [from, to)} of a kept batch that go in one request. Normally the whole batch; a destination
 * that answers 413 gets its first half, then halves of halves, down to one record. Parts are always nodes of
 * one fixed halving tree over the batch, and the part after the records already taken is the largest node
 * starting there, so the same state (how many records were taken) always gives the same part: after a
 * restart the very part that may have arrived already goes again, under the same id.
 */
public record BatchPart(int from, int to, int batchSize) {

    /** The next part once {@code done} records are taken: the largest tree node starting there; null when none is left. */
    public static BatchPart startingAt(int done, int batchSize) {
        if (done >= batchSize) {
            return null;
        }
        BatchPart node = new BatchPart(0, batchSize, batchSize);
        while (node.from != done) {
            int mid = node.mid();
            node = done < mid ? new BatchPart(node.from, mid, batchSize) : new BatchPart(mid, node.to, batchSize);
        }
        return node;
    }

    /** The first half (the larger one when the size is odd). */
    public BatchPart firstHalf() {
        if (size() < 2) {
            throw new IllegalStateException("a part of one record cannot be split");
        }
        return new BatchPart(from, mid(), batchSize);
    }

    public int size() {
        return to - from;
    }

    public boolean whole() {
        return from == 0 && to == batchSize;
    }

    /**
     * The id the part is sent under: the batch's own for the whole batch, else {@code <batch id>-part-<from>-<to>}
     * (0-based offsets in the batch, {@code to} excluded), the same on every retry.
     */
    public String id(String batchId) {
        return whole() ? batchId : batchId + "-part-" + from + "-" + to;
    }

    private int mid() {
        return from + (size() + 1) / 2;
    }
}
