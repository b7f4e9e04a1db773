package org.o365audit.delayed;

import java.net.URI;
import java.util.List;
import org.o365audit.collect.RecordBatch;

/** One page of a delayed feed: its records, and the link to the next page (null on the last). */
public record FeedPage(List<RecordBatch.RawRecord> records, URI next) {
}
