package org.o365audit.collect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.o365audit.config.O365Properties;
import org.springframework.stereotype.Component;

/**
 * Splits a content blob (a JSON array of records) while it downloads: a streaming Jackson parse yields
 * batches of records, so memory stays bounded whatever the blob's size. Each record keeps its exact
 * bytes. Input that is not valid JSON ends the blob with a whole-blob defect (records before it are
 * kept); an element that is not an object becomes a record-level defect and the rest goes on.
 */
@Component
public class BlobSplitter {
    private static final int PAYLOAD_SAMPLE = 4096;

    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final O365Properties props;
    private final Clock clock;

    public BlobSplitter(ObjectMapper mapper, O365Properties props, Clock clock) {
        this.mapper = mapper;
        this.factory = mapper.getFactory();
        this.props = props;
        this.clock = clock;
    }

    public Iterator<RecordBatch> batches(BlobContent content) {
        return new Batches(content);
    }

    private final class Batches implements Iterator<RecordBatch>, Closeable {
        private final BlobContent content;
        private RecordingInputStream in;
        private JsonParser parser;
        private boolean finished;
        private int index;
        private RecordBatch pending;

        Batches(BlobContent content) {
            this.content = content;
            if (content.refusal() != null) {
                pending = new RecordBatch(content, List.of(), List.of(defect(true, content.refusal(), null)));
                finished = true;
            }
        }

        @Override
        public boolean hasNext() {
            if (pending == null && !finished) {
                pending = read();
            }
            return pending != null;
        }

        @Override
        public RecordBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RecordBatch b = pending;
            pending = null;
            return b;
        }

        private RecordBatch read() {
            List<RecordBatch.RawRecord> records = new ArrayList<>();
            List<BlobDefect> defects = new ArrayList<>();
            try {
                if (parser == null && !open(defects)) {
                    finish();
                    return defects.isEmpty() ? null : new RecordBatch(content, records, defects);
                }
                while (records.size() + defects.size() < props.getBatchSize()) {
                    JsonToken t = parser.nextToken();
                    if (t == null || t == JsonToken.END_ARRAY) {
                        JsonToken after = t == null ? null : parser.nextToken();
                        if (after != null) {
                            defects.add(defect(true, "unexpected " + after + " after the closing bracket of the records array",
                                    text(in.around(parser.currentTokenLocation().getByteOffset(), PAYLOAD_SAMPLE))));
                        }
                        finish();
                        break;
                    }
                    long start = parser.currentTokenLocation().getByteOffset();
                    int n = index++;
                    if (t == JsonToken.START_OBJECT) {
                        ObjectNode node = mapper.readTree(parser);
                        records.add(new RecordBatch.RawRecord(cut(start), node));
                    } else {
                        parser.finishToken();   // a string's text is read lazily; cut() needs all of it consumed
                        parser.skipChildren();
                        defects.add(defect(false, "element #" + n + " is not a JSON object but " + t, cut(start)));
                    }
                }
            } catch (JsonProcessingException e) {
                long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
                defects.add(defect(true, "not valid JSON at byte " + at + " (element #" + index + "): "
                        + e.getOriginalMessage(), text(in.around(at - 200, PAYLOAD_SAMPLE))));
                finish();
            } catch (IOException e) {
                finish();
                throw new UncheckedIOException("tenant " + content.tenant().name() + " " + content.blob().contentType()
                        + " blob " + content.blob().contentId() + ": download failed after " + index + " elements", e);
            }
            return records.isEmpty() && defects.isEmpty() ? null : new RecordBatch(content, records, defects);
        }

        private boolean open(List<BlobDefect> defects) throws IOException {
            in = new RecordingInputStream(content.body());
            parser = factory.createParser(in);
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                return true;
            }
            defects.add(defect(true, first == null ? "empty body, expected a JSON array of records"
                    : "blob is not a JSON array of records (starts with " + first + ")", text(in.around(0, PAYLOAD_SAMPLE))));
            return false;
        }

        private String cut(long start) {
            long end = parser.currentLocation().getByteOffset();
            String raw = text(in.slice(start, end));
            in.discardBefore(end);
            return raw;
        }

        private BlobDefect defect(boolean wholeBlob, String reason, String payload) {
            if (wholeBlob) {
                content.stats().rejectBlob();
            }
            return new BlobDefect(content.tenant().tenantId(), content.tenant().name(), content.blob().contentType(),
                    content.blob().contentId(), content.blob().contentUri(), wholeBlob, reason, payload, clock.instant());
        }

        private void finish() {
            finished = true;
            close();
        }

        @Override
        public void close() {
            try {
                if (parser != null) {
                    parser.close();
                }
                if (content.body() != null) {
                    content.body().close();
                }
            } catch (IOException ignored) {
                // the stream is gone either way
            }
        }
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
