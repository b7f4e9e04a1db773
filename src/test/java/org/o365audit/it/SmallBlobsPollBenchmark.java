package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.o365audit.config.O365Properties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * How fast one tenant and content type collects many small blobs (the common case): B blobs (-Dbench.blobs, default
 * 1500) of R records each (-Dbench.records-per-blob, default 20), listing pages of 200, from the HTTPS simulator
 * into PostgreSQL (schema o365_pollbench), o365.parallel-blobs at a time (-Do365.parallel-blobs=N). The time runs
 * from the tenant's start to the last blob in the ledger. Prints blobs/s and records/s; asserts only that every
 * record arrived once: {@code mvn -B test -Pbenchmark -Dtest=SmallBlobsPollBenchmark}.
 */
@Tag("benchmark")
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_pollbench",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_pollbench",
        "spring.flyway.create-schemas=true",
        "o365.batch-size=500",
        "o365.poll-interval=1h",
        "logging.level.org.o365audit=INFO"})
class SmallBlobsPollBenchmark extends CollectorTestBase {
    static {
        Postgres.dropSchema("o365_pollbench");
    }

    @Autowired
    O365Properties props;

    @Test
    void manySmallBlobs() {
        int blobs = Integer.getInteger("bench.blobs", 1500);
        int perBlob = Integer.getInteger("bench.records-per-blob", 20);
        TestTenant t = tenant();
        t.sim().pageSize(200);
        Instant c = minutesAgo(300);
        for (int i = 0; i < blobs; i++) {
            t.sim().addBlob(blob(t, "bench", i, c.plusMillis(i * 10L), perBlob));
        }
        long started = System.nanoTime();
        start(t);
        await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(50)).until(() -> ledgered(t) == blobs);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(stored(t)).isEqualTo(blobs * perBlob);
        System.out.printf("%nsmall blobs, parallel-blobs=%d: %d blobs of %d records in %.1f s: %.0f blobs/s, %.0f records/s%n%n",
                props.getParallelBlobs(), blobs, perBlob, seconds, blobs / seconds, blobs * perBlob / seconds);
    }
}
