package org.o365audit.simulator;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The benchmark's feed on a simulated tenant: N distinct audit records made from the corpus (the demo's
 * templates, so shaped and sized like real ones, about 1 KB), spread over the five content types and the last
 * seven days, with the API's duplicates (as the demo: 5% of blobs repeat a record of the blob before them).
 * Either many small blobs (tens of records each, the common case) or a few huge ones, written while they are
 * served. Only listing metadata is kept; a blob's records are made again, the same, whenever it is fetched.
 */
public final class BenchmarkFeed {
    private static final double DUPLICATE_RATE = 0.05;
    private static final String ID = "00000000-0000-4000-8000-00000000beef";
    private static final String TIME = "1999-01-01T00:00:00";
    private static final String ORG = "00000000-0000-4000-8000-00000000face";

    /** What was put on the tenant. */
    public record Shape(long distinctRecords, long servedRecords, int blobs) {
    }

    private final String tenantId;
    private final List<String> types = ContentTypes.ALL;
    private final List<List<String[]>> templates = new ArrayList<>();

    private BenchmarkFeed(String tenantId) {
        this.tenantId = tenantId;
        for (String type : types) {
            List<String[]> parts = new ArrayList<>();
            for (var t : CorpusTemplates.get().forType(type)) {
                var r = t.deepCopy();
                r.put("Id", ID);
                r.put("CreationTime", TIME);
                r.put("OrganizationId", ORG);
                parts.add(Json.text(r).replace(ORG, tenantId).split(ID + "|" + TIME, -1));
            }
            templates.add(parts);
        }
    }

    /**
     * {@code records} distinct records in blobs of {@code minPerBlob}..{@code maxPerBlob} records, created over the
     * seven days before {@code now} (the newest a quarter of an hour old), listed at once.
     */
    public static Shape smallBlobs(SimulatedTenant tenant, long records, int minPerBlob, int maxPerBlob, Instant now) {
        BenchmarkFeed feed = new BenchmarkFeed(tenant.tenantId());
        SplittableRandom random = new SplittableRandom(42);
        List<int[]> sizes = new ArrayList<>();
        long left = records;
        while (left > 0) {
            int n = (int) Math.min(left, minPerBlob + random.nextInt(maxPerBlob - minPerBlob + 1));
            sizes.add(new int[] {n});
            left -= n;
        }
        Instant oldest = now.minus(Duration.ofDays(7)).plus(Duration.ofHours(1));
        long span = Duration.between(oldest, now.minus(Duration.ofMinutes(15))).toMillis();
        long served = 0;
        int[] lastOfType = new int[feed.types.size()];
        java.util.Arrays.fill(lastOfType, -1);
        Instant[] createdOf = new Instant[sizes.size()];
        for (int b = 0; b < sizes.size(); b++) {
            int type = b % feed.types.size();
            Instant created = oldest.plusMillis(span * b / sizes.size()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            createdOf[b] = created;
            int previous = lastOfType[type];
            boolean repeats = previous >= 0 && random.nextDouble() < DUPLICATE_RATE;
            int blob = b;
            int count = sizes.get(b)[0];
            Instant previousCreated = previous >= 0 ? createdOf[previous] : null;
            int previousCount = previous >= 0 ? sizes.get(previous)[0] : 0;
            String contentType = feed.types.get(type);
            String contentId = ContentIds.of(tenant.tenantId(), contentType, created) + "b" + b;
            tenant.addBlob(SimBlob.generated(contentType, contentId, created, created, () -> {
                List<String> out = new ArrayList<>(count + 1);
                for (int i = 0; i < count; i++) {
                    out.add(feed.record(type, blob, i, created));
                }
                if (repeats) {
                    int i = new SplittableRandom(blob).nextInt(previousCount);
                    out.add(out.size() / 2, feed.record(type, previous, i, previousCreated));
                }
                return SimBlob.ofRecords(contentType, contentId, created, created, out);
            }));
            served += count + (repeats ? 1 : 0);
            lastOfType[type] = b;
        }
        return new Shape(records, served, sizes.size());
    }

    /** {@code records} distinct records in {@code blobs} huge blobs (one content type), written as they are served. */
    public static Shape hugeBlobs(SimulatedTenant tenant, long records, int blobs, Instant now) {
        BenchmarkFeed feed = new BenchmarkFeed(tenant.tenantId());
        int type = feed.types.indexOf(ContentTypes.EXCHANGE);
        for (int b = 0; b < blobs; b++) {
            long from = records * b / blobs;
            long to = records * (b + 1) / blobs;
            Instant created = now.minus(Duration.ofMinutes(30L + b)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            int blob = b;
            tenant.addBlob(SimBlob.ofStream(ContentTypes.EXCHANGE, ContentIds.of(tenant.tenantId(), ContentTypes.EXCHANGE,
                    created) + "h" + b, created, created, raw -> {
                        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
                        out.write('[');
                        for (long i = from; i < to; i++) {
                            if (i > from) {
                                out.write(',');
                            }
                            out.write(feed.record(type, 1_000_000 + blob, (int) (i - from), created).getBytes(StandardCharsets.UTF_8));
                        }
                        out.write(']');
                        out.flush();
                    }));
        }
        return new Shape(records, records, blobs);
    }

    /** Record {@code i} of blob {@code blob}: a corpus template with its own Id and a CreationTime before the blob. */
    String record(int type, int blob, int i, Instant blobCreated) {
        SplittableRandom r = new SplittableRandom(((long) blob << 20) ^ i ^ ((long) type << 50));
        List<String[]> pool = templates.get(type);
        String[] parts = pool.get(r.nextInt(pool.size()));
        String id = new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
        String time = Json.RECORD_TIME.format(blobCreated.minusSeconds(120 + r.nextInt(3 * 3600 - 120)));
        StringBuilder s = new StringBuilder(parts.length * 400);
        // the template's text cut at its Id and CreationTime values, in whatever order they come
        String[] fill = parts.length == 3 ? order(parts, id, time) : new String[] {id};
        for (int k = 0; k < parts.length; k++) {
            s.append(parts[k]);
            if (k < fill.length && k < parts.length - 1) {
                s.append(fill[k]);
            }
        }
        return s.toString();
    }

    /** Id and time in the order the template has them (Jackson keeps a template's field order). */
    private static String[] order(String[] parts, String id, String time) {
        // parts[0] ends just before the first marker: "...\"Id\":\"" or "...\"CreationTime\":\""
        return parts[0].endsWith("\"Id\":\"") ? new String[] {id, time} : new String[] {time, id};
    }
}
