package org.o365audit.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobDefect;

/** A slice of a blob as parsed: records (raw text plus the fields enrichment reads) and anything set aside. */
public record RecordBatch(BlobContent content, List<RawRecord> records, List<BlobDefect> defects) {

    public record RawRecord(String raw, RecordFields fields) {

        /** A record whose fields come from a tree (the delayed feeds build theirs so). */
        public static RawRecord of(String raw, ObjectNode json) {
            return new RawRecord(raw, RecordFields.of(json));
        }
    }
}
