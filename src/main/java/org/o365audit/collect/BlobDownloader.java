package org.o365audit.collect;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.commons.io.output.DeferredFileOutputStream;
import org.o365audit.api.ContentBlob;
import org.o365audit.api.ForeignHostException;
import org.o365audit.api.ManagementApiClient;
import org.o365audit.api.ManagementApiException;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.o365audit.record.BlobContent;
import org.o365audit.record.BlobStats;
import org.o365audit.record.Headers;
import org.o365audit.record.Texts;
import org.o365audit.store.Gaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fetches a content blob whole before its database transaction starts: into memory, or into a temporary
 * file past {@link #MEMORY_THRESHOLD}, so no database connection waits on the network and memory stays
 * bounded whatever the blob's size. A cut-off download fails here (and is retried) instead of half-way
 * through a transaction. A contentUri outside the tenant's API host, or a blob the API says is expired
 * (AF20051) or gone (AF20050), becomes a refusal that is quarantined, ledgered and recorded as a gap, so
 * it is reported once and never retried.
 */
@Component
public class BlobDownloader {
    /** Blobs up to this size stay in memory; larger ones go to a temporary file. */
    static final int MEMORY_THRESHOLD = 4 * 1024 * 1024;
    public static final String CONTENT = "O365BlobContent";
    private static final Logger LOG = LoggerFactory.getLogger(BlobDownloader.class);

    private final ManagementApiClient api;
    private final TenantRegistry tenants;
    private final Gaps gaps;
    private final Clock clock;
    private final O365Properties props;
    private final Path spool;

    public BlobDownloader(ManagementApiClient api, TenantRegistry tenants, Gaps gaps, Clock clock,
                          O365Properties props) {
        this.props = props;
        this.api = api;
        this.tenants = tenants;
        this.gaps = gaps;
        this.clock = clock;
        this.spool = Path.of(System.getProperty("java.io.tmpdir"), "o365-audit-spool");
        removeStaleSpoolFiles();
    }

    public BlobContent fetch(@Header(Headers.TENANT_ID) String tenantId, ListedBlob listed, Exchange exchange) {
        Tenant tenant = tenants.get(tenantId);
        BlobStats stats = new BlobStats(listed.blob());
        BlobContent content = download(tenant, listed, stats);
        exchange.setProperty(CONTENT, content);
        return content;
    }

    /** Deletes the blob's temporary file, if any, whatever happened to the blob, and lets go of its body. */
    public void release(Exchange exchange) {
        BlobContent content = exchange.getProperty(CONTENT, BlobContent.class);
        exchange.removeProperty(CONTENT);
        exchange.getMessage().setBody(null);
        if (content != null && content.body() != null) {
            try {
                content.body().close();
            } catch (IOException e) {
                LOG.debug("closing a spooled blob: {}", e.toString());
            }
        }
    }

    private BlobContent download(Tenant tenant, ListedBlob listed, BlobStats stats) {
        ContentBlob blob = listed.blob();
        int failed = listed.failedAttempts();
        if (failed >= props.getBlobMaxAttempts()) {
            String givingUp = "gave up after " + failed + " failed attempts; last error: " + listed.lastError();
            gaps.blobLost(tenant, blob, givingUp);
            return new BlobContent(tenant, blob, null, givingUp, stats);
        }
        boolean finalAttempt = failed + 1 >= props.getBlobMaxAttempts();
        InputStream in;
        try {
            in = api.openBlob(tenant, blob);
        } catch (ForeignHostException e) {
            return new BlobContent(tenant, blob, null, e.getMessage(), stats);
        } catch (IllegalArgumentException e) {
            return new BlobContent(tenant, blob, null, "contentUri is not a valid URI: " + e.getMessage(), stats);
        } catch (ManagementApiException e) {
            if (e.is("AF20051") || e.is("AF20050")) {
                String reason = "content can no longer be fetched: " + e.getMessage();
                gaps.blobLost(tenant, blob, reason);
                return new BlobContent(tenant, blob, null, reason, stats);
            }
            throw e;
        }
        try (in) {
            return new BlobContent(tenant, blob, spool(in), null, stats, finalAttempt);
        } catch (IOException e) {
            throw new UncheckedIOException("tenant " + tenant.name() + " " + blob.contentType() + " blob "
                    + Texts.printable(blob.contentId(), 600) + ": download failed: " + e.getMessage(), e);
        }
    }

    /** The whole body, read now: a stream over memory, or over a temporary file deleted when the stream is closed. */
    private InputStream spool(InputStream in) throws IOException {
        Files.createDirectories(spool);
        DeferredFileOutputStream out = DeferredFileOutputStream.builder().setThreshold(MEMORY_THRESHOLD)
                .setPrefix("blob-").setSuffix(".json").setDirectory(spool.toFile()).get();
        try (out) {
            in.transferTo(out);
        } catch (IOException e) {
            if (!out.isInMemory()) {
                Files.deleteIfExists(out.getPath());
            }
            throw e;
        }
        if (out.isInMemory()) {
            return new ByteArrayInputStream(out.getData());
        }
        Path file = out.getPath();
        return new FilterInputStream(Files.newInputStream(file)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        };
    }

    /** Temporary files left by a process that was killed while it held them. */
    private void removeStaleSpoolFiles() {
        if (!Files.isDirectory(spool)) {
            return;
        }
        FileTime before = FileTime.from(clock.instant().minus(Duration.ofHours(6)));
        try (Stream<Path> files = Files.list(spool)) {
            files.filter(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(before) < 0;
                } catch (IOException e) {
                    return false;
                }
            }).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot clean {}: {}", spool, e.toString());
        }
    }
}
