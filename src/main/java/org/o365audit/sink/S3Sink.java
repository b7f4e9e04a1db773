package org.o365audit.sink;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.o365audit.sink.ArchiveObjects.ArchiveObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The s3 sink's steps around camel-aws2-s3: the kept batch as archive objects ({@link ArchiveObjects}), each in turn
 * as the body and headers of one putObject, and what a failure means ({@link S3Errors}).
 */
@Component("s3Sink")
public class S3Sink {
    /** The archive objects of the batch being delivered. */
    public static final String OBJECTS = "O365S3Objects";
    public static final String PREFIX = "O365S3Prefix";
    public static final String BUCKET = "O365S3Bucket";
    public static final String CREATE_BUCKET = "O365S3CreateBucket";
    private static final Logger LOG = LoggerFactory.getLogger(S3Sink.class);

    private final S3Clients clients;
    private final SinkSettings settings;

    public S3Sink(S3Clients clients, SinkSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    /** Groups the kept batch (body) into its objects; returns how many. */
    public int objects(Exchange ex) {
        SinkBatch batch = ex.getIn().getBody(SinkBatch.class);
        List<ArchiveObject> objects = ArchiveObjects.of(batch, ex.getProperty(PREFIX, "", String.class));
        ex.setProperty(OBJECTS, objects);
        return objects.size();
    }

    /** The object at the loop's index as body and putObject headers. */
    public byte[] next(Exchange ex) {
        @SuppressWarnings("unchecked")
        List<ArchiveObject> objects = ex.getProperty(OBJECTS, List.class);
        ArchiveObject o = objects.get(ex.getProperty(Exchange.LOOP_INDEX, Integer.class));
        Message m = ex.getIn();
        m.setHeader(AWS2S3Constants.KEY, o.key());
        m.setHeader(AWS2S3Constants.CONTENT_TYPE, "application/x-ndjson");
        m.setHeader(AWS2S3Constants.CONTENT_ENCODING, "gzip");
        m.setHeader(AWS2S3Constants.CONTENT_MD5, o.md5());
        m.setHeader(AWS2S3Constants.CONTENT_LENGTH, (long) o.body().length);
        return o.body();
    }

    /** After the last object: the kept batch back as the body, no S3 headers left. */
    public SinkBatch delivered(Exchange ex) {
        ex.getIn().removeHeaders("CamelAwsS3*");
        ex.removeProperty(OBJECTS);
        SinkBatch kept = ex.getProperty(SinkExchange.KEPT, SinkBatch.class);
        if (LOG.isDebugEnabled()) {
            LOG.debug("sink {}: batch {} written", ex.getProperty(SinkExchange.SINK), kept == null ? null : kept.id());
        }
        return kept;
    }

    /**
     * A failed upload: thrown again as a refusal (a setting to fix) or as the store being unavailable. With
     * create-bucket, a missing bucket is created and the batch goes again after the first back-off.
     */
    public void failed(Exchange ex) {
        Exception failure = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String sink = ex.getProperty(SinkExchange.SINK, String.class);
        String bucket = ex.getProperty(BUCKET, String.class);
        if ("NoSuchBucket".equals(S3Errors.code(failure)) && ex.getProperty(CREATE_BUCKET, false, Boolean.class)) {
            try {
                clients.of(sink).createBucket(b -> b.bucket(bucket));
                LOG.info("sink {}: bucket {} created", sink, bucket);
            } catch (RuntimeException e) {
                throw redacted(sink, S3Errors.classify(e, bucket));
            }
            throw new SinkUnavailableException("bucket " + bucket + " did not exist; created it");
        }
        throw redacted(sink, S3Errors.classify(failure, bucket));
    }

    /** A refusal's text never carries a configured secret, even if a store echoed it. */
    private RuntimeException redacted(String sink, RuntimeException e) {
        if (e instanceof SinkRefusedException r) {
            String msg = r.getMessage();
            String detail = msg.startsWith(r.kind() + ": ") ? msg.substring(r.kind().length() + 2) : "";
            return new SinkRefusedException(r.kind(), settings.redact(sink, detail));
        }
        return e;
    }
}
