package org.o365audit.collect;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.o365audit.config.O365Properties;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobDefect;
import org.o365audit.record.QuarantinePayload;
import org.o365audit.record.Texts;
import org.springframework.stereotype.Component;

/**
 * Splits a content blob (a JSON array of records) into batches of records with bounded memory. The
 * {@link ElementScanner} cuts out each element's exact bytes; each element is then decoded (strict UTF-8)
 * and read on its own in one streaming pass ({@link RecordReader}, no tree; the tree reader only explains an
 * element that pass does not take), so a bad element (invalid UTF-8, a raw control character, broken syntax, not an
 * object) is set aside alone with its complete bytes and the elements after it are still read. Only what
 * breaks the array itself (no array at all, a truncated last element, data after the closing bracket)
 * marks the blob as rejected, and even then every complete element before it is kept; as a cut-off
 * transfer looks the same, that happens only on the blob's last attempt, earlier ones fail the blob with
 * {@link IncompleteBlobException} so that it is fetched again.
 */
@Component
public class BlobSplitter {
    /** A batch also ends once its records hold this many bytes, whatever o365.batch-size says. */
    static final int BATCH_BYTES = 8 * 1024 * 1024;

    private final ObjectReader reader;
    private final RecordReader recordReader;
    private final O365Properties props;
    private final Clock clock;

    public BlobSplitter(ObjectMapper mapper, O365Properties props, Clock clock) {
        this.reader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.recordReader = new RecordReader(reader);
        this.props = props;
        this.clock = clock;
    }

    public Iterator<RecordBatch> batches(BlobContent content) {
        return new Batches(content);
    }

    private final class Batches implements Iterator<RecordBatch>, Closeable {
        private final BlobContent content;
        private final ElementScanner scanner;
        private boolean finished;
        private RecordBatch pending;

        Batches(BlobContent content) {
            this.content = content;
            this.scanner = content.body() == null ? null
                    : new ElementScanner(content.body(), (int) Math.min(Integer.MAX_VALUE - 16, props.getMaxRecordSize().toBytes()));
            if (content.refusal() != null) {
                pending = new RecordBatch(content, List.of(), List.of(defect(true, content.refusal(), (byte[]) null)));
                finished = true;
                close();
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
            long bytes = 0;
            try {
                while (records.size() + defects.size() < props.getBatchSize() && bytes < BATCH_BYTES) {
                    ElementScanner.Element e = scanner.next();
                    if (e == null) {
                        finish();
                        break;
                    }
                    bytes += e.bytes().length;
                    switch (e.kind()) {
                        case ELEMENT -> element(e, records, defects);
                        case OVERSIZED -> defects.add(defect(false, "element #" + e.index() + " at byte " + e.offset()
                                + " is " + e.size() + " bytes, more than o365.max-record-size; its first "
                                + e.bytes().length + " bytes are kept here", e.bytes()));
                        case TRUNCATED -> {
                            defects.add(defect(true, "not valid JSON at byte " + (e.offset() + e.size()) + " (element #"
                                    + e.index() + "): the blob ends inside this element (truncated)", e.bytes()));
                            finish();
                        }
                        case UNCLOSED -> {
                            defects.add(defect(true, "not valid JSON at byte " + e.offset()
                                    + ": the blob ends before the closing bracket of its array", (byte[]) null));
                            finish();
                        }
                        case EMPTY, NOT_AN_ARRAY, TRAILING_DATA -> {
                            defects.add(defect(true, switch (e.kind()) {
                                case EMPTY -> "empty body, expected a JSON array of records";
                                case NOT_AN_ARRAY -> "blob is not a JSON array of records";
                                default -> "unexpected data at byte " + e.offset() + " after the closing bracket of the records array";
                            }, e.bytes()));
                            finish();
                        }
                        default -> throw new IllegalStateException(e.kind().toString());
                    }
                    if (finished) {
                        break;
                    }
                }
            } catch (IOException e) {
                finish();
                throw new UncheckedIOException("tenant " + content.tenant().name() + " " + content.blob().contentType()
                        + " blob " + Texts.printable(content.blob().contentId(), 600) + ": reading failed", e);
            }
            return records.isEmpty() && defects.isEmpty() ? null : new RecordBatch(content, records, defects);
        }

        /** One element: a record when it is valid UTF-8 and a JSON object, else a defect of its own. */
        private void element(ElementScanner.Element e, List<RecordBatch.RawRecord> records, List<BlobDefect> defects) {
            String where = "element #" + e.index() + " at byte " + e.offset();
            // the JDK's quick decoding replaces every malformed sequence with U+FFFD: only when the text holds one
            // can the bytes be invalid, and the strict decoder tells
            String raw = new String(e.bytes(), StandardCharsets.UTF_8);
            if (raw.indexOf('\uFFFD') >= 0) {
                try {
                    raw = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(e.bytes())).toString();
                } catch (CharacterCodingException notUtf8) {
                    defects.add(defect(false, where + " is not valid UTF-8 (its bytes are kept as Base64)", e.bytes()));
                    return;
                }
            }
            try {
                RecordFields fields = recordReader.read(raw);
                if (fields != null) {
                    records.add(new RecordBatch.RawRecord(raw, fields));
                    return;
                }
            } catch (IOException | RuntimeException notOneObject) {
                // the tree reader below says why
            }
            JsonNode node;
            try {
                node = reader.readValue(raw);
            } catch (IOException | RuntimeException invalid) {
                String msg = invalid instanceof com.fasterxml.jackson.core.JsonProcessingException j
                        ? j.getOriginalMessage() : invalid.getMessage();
                defects.add(defect(false, "not valid JSON in " + where + ": " + Texts.printable(msg, 300), e.bytes()));
                return;
            }
            if (node instanceof ObjectNode object) {
                records.add(RecordBatch.RawRecord.of(raw, object));
            } else {
                defects.add(defect(false, where + " is not a JSON object but " + (node == null ? "nothing" : node.getNodeType()),
                        e.bytes()));
            }
        }

        private BlobDefect defect(boolean wholeBlob, String reason, byte[] payload) {
            if (wholeBlob && !content.finalAttempt()) {
                finish();
                throw new IncompleteBlobException("tenant " + content.tenant().name() + " " + content.blob().contentType()
                        + " blob " + Texts.printable(content.blob().contentId(), 600) + ": " + reason
                        + "; fetched again (kept as it is on its last attempt)");
            }
            if (wholeBlob) {
                content.stats().rejectBlob();
            }
            return new BlobDefect(content.tenant().tenantId(), content.tenant().name(), content.blob().contentType(),
                    content.blob().contentId(), content.blob().contentUri(), wholeBlob, reason,
                    QuarantinePayload.of(payload), clock.instant());
        }

        private void finish() {
            finished = true;
            close();
        }

        @Override
        public void close() {
            try {
                if (content.body() != null) {
                    content.body().close();
                }
            } catch (IOException ignored) {
                // the stream is gone either way
            }
        }
    }
}
