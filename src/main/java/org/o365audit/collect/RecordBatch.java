package org.o365audit.collect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobDefect;

/** A slice of a blob as parsed: records (raw text plus parsed tree) and anything set aside. */
public record RecordBatch(BlobContent content, List<RawRecord> records, List<BlobDefect> defects) {

    public record RawRecord(String raw, ObjectNode json) {
    }
}
