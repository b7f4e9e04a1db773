package org.o365audit.sink;

import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The HTTP sinks' steps for sending a kept batch in parts: the whole batch, or after a 413 (request too
 * large) halves of it, and after a per-record verdict (HEC code 6) the records after it. What the destination
 * took is written down as the batch's progress, so a retry, also after a restart, starts after it.
 */
@Component("batchParts")
public class BatchParts {
    /** The {@link BatchPart} to send next. */
    public static final String PART = "O365SinkPart";
    /** True while a part of the kept batch is left to send: the route's inner loop goes on. */
    public static final String LEFT = "O365SinkPartsLeft";

    private final SinkFeed feed;

    public BatchParts(SinkFeed feed) {
        this.feed = feed;
    }

    /** Before the first request: the part after what the destination already took (none when it took all). */
    public void first(Exchange ex) {
        SinkBatch kept = kept(ex);
        next(ex, BatchPart.startingAt(Math.min(kept.done(), kept.size()), kept.size()));
    }

    /** The part to send now. */
    public static BatchPart part(Exchange ex) {
        BatchPart part = ex.getProperty(PART, BatchPart.class);
        if (part == null) {
            throw new IllegalStateException("no part of batch " + kept(ex).id() + " to send (batchParts.first not called?)");
        }
        return part;
    }

    /** The kept records of the part to send now. */
    public static List<SinkRecord> records(Exchange ex) {
        BatchPart part = part(ex);
        return kept(ex).records().subList(part.from(), part.to());
    }

    /** The destination took the part: go on after it. */
    public void delivered(Exchange ex) {
        takenUpTo(ex, part(ex).to());
    }

    /**
     * The destination took (or set aside) the kept records before {@code done}: write that down when more
     * of the batch follows or a record was set aside (else the confirm moves past the whole batch anyway),
     * and go on with the part after it.
     */
    public void takenUpTo(Exchange ex, int done) {
        SinkBatch kept = kept(ex);
        if (done < kept.size() || ex.getProperty(SinkExchange.SET_ASIDE, 0, Integer.class) > 0) {
            feed.progress(ex, done);
        }
        next(ex, BatchPart.startingAt(done, kept.size()));
    }

    /**
     * HTTP 413: send the first half of the part next. A single record the destination finds too large is a
     * verdict about that record: it is set aside with the reason in {@code O365SinkReason}.
     */
    public void tooLarge(Exchange ex) {
        BatchPart part = part(ex);
        if (part.size() > 1) {
            next(ex, part.firstHalf());
            return;
        }
        feed.setAside(ex, records(ex), ex.getProperty(SinkExchange.REASON, "too large for the destination (HTTP 413)",
                String.class));
        takenUpTo(ex, part.to());
    }

    private static void next(Exchange ex, BatchPart part) {
        if (part == null) {
            ex.removeProperty(PART);
        } else {
            ex.setProperty(PART, part);
        }
        ex.setProperty(LEFT, part != null);
    }

    private static SinkBatch kept(Exchange ex) {
        return ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
    }
}
