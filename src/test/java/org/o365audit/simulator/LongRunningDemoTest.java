package org.o365audit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A demo left running for days keeps a rolling window of its feeds, not everything it ever made. */
class LongRunningDemoTest {

    private static final String TENANT = "5b7c1c9e-3a1d-4c55-9f0e-0d6f4f3b2a10";
    private static final Duration WEEK = Duration.ofDays(7);
    /** Coarser than the demo's 20 s so that a month runs in seconds; what is kept depends on age, not on the tick. */
    private static final Duration TICK = Duration.ofMinutes(30);

    private final ManagementApiSimulatorTest.MutableClock clock =
            new ManagementApiSimulatorTest.MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    private final SimulatedTenant tenant = new SimulatedTenant(TENANT, clock, "https://localhost:1");

    /** What the tenant holds: blobs, Power BI events, Dataverse audit rows. */
    record Held(int blobs, int powerBiEvents, int auditRows) {
        static Held of(SimulatedTenant t) {
            return new Held(ContentTypes.ALL.stream().mapToInt(ct -> t.blobs(ct).size()).sum(),
                    t.powerBi().events().size(), t.dataverse(DelayedDemoGenerator.ENVIRONMENT).rows().size());
        }
    }

    @Test
    void aMonthOfDemoHoldsNoMoreThanItsSecondWeekAndStillServesAWeek() {
        DemoFeed.populate(tenant, clock, WEEK, Duration.ofMinutes(30));
        DemoFeed.populateDelayed(tenant, clock, WEEK);
        Runnable trickle = DemoFeed.trickle(tenant, clock, TICK);
        Runnable delayed = DemoFeed.delayedTrickle(tenant, clock, TICK, WEEK);

        Held afterNineDays = null;
        for (int day = 1; day <= 30; day++) {
            for (long t = 0; t < Duration.ofDays(1).dividedBy(TICK); t++) {
                clock.advance(TICK);
                trickle.run();
                delayed.run();
            }
            if (day == 9) {
                afterNineDays = Held.of(tenant);
            }
        }
        Held afterAMonth = Held.of(tenant);

        // a blob lives until a day after its content expired: 8 days of one blob per type and tick
        int blobsInEightDays = (int) (Duration.ofDays(8).dividedBy(TICK) * ContentTypes.ALL.size());
        assertThat(afterAMonth.blobs()).isBetween(blobsInEightDays - 10, blobsInEightDays + 20);
        assertThat(afterAMonth.blobs()).isLessThanOrEqualTo(afterNineDays.blobs() + 20);
        assertThat(afterAMonth.powerBiEvents()).isLessThanOrEqualTo(afterNineDays.powerBiEvents() * 11 / 10);
        assertThat(afterAMonth.auditRows()).isLessThanOrEqualTo(afterNineDays.auditRows() * 11 / 10);

        // and what it keeps is the week the APIs serve
        Instant now = clock.instant();
        for (String contentType : ContentTypes.ALL) {
            List<SimBlob> blobs = tenant.blobs(contentType);
            assertThat(blobs.get(0).contentExpiration()).isAfter(now.minus(DemoFeed.EXPIRED_KEPT).minus(Duration.ofHours(1)));
            assertThat(blobs.get(0).contentCreated()).isBefore(now.minus(WEEK));
            assertThat(blobs.get(blobs.size() - 1).contentCreated()).isAfter(now.minus(TICK));
        }
        assertThat(tenant.powerBi().events().stream().map(PowerBiEvent::creationTime).min(Comparator.naturalOrder()))
                .hasValueSatisfying(oldest -> assertThat(oldest).isBetween(now.minus(WEEK).minus(Duration.ofHours(1)),
                        now.minus(WEEK).plus(Duration.ofHours(1))));
    }

    @Test
    void aDemoBlobServesTheSameBodyEveryTimeEvenOnceTheBlobItRepeatsIsGone() throws IOException {
        DemoFeed.populate(tenant, clock, WEEK, Duration.ofMinutes(30));
        SimBlob repeating = null;
        SimBlob repeated = null;
        for (String contentType : ContentTypes.ALL) {
            List<SimBlob> blobs = tenant.blobs(contentType);
            for (int i = 1; i < blobs.size() && repeating == null; i++) {
                if (blobs.get(i).records().stream().anyMatch(blobs.get(i - 1).records()::contains)) {
                    repeating = blobs.get(i);
                    repeated = blobs.get(i - 1);
                }
            }
        }
        assertThat(repeating).as("a blob that repeats a record of the one before").isNotNull();
        byte[] first = body(repeating);

        assertThat(body(repeating)).isEqualTo(first);
        tenant.forgetBlobsExpiredBefore(repeated.contentExpiration().plusMillis(1));
        assertThat(tenant.blobStore().find(repeated.contentId())).isEmpty();
        assertThat(body(repeating)).isEqualTo(first);
    }

    @Test
    void keepsTheMostRecentRequestsOnly() {
        for (int i = 0; i < RequestLog.KEPT + 5; i++) {
            tenant.record(new RecordedRequest(Instant.ofEpochSecond(i), "GET", "/" + i, Map.of(), null, 200));
        }
        List<RecordedRequest> kept = tenant.requests();
        assertThat(kept).hasSize(RequestLog.KEPT);
        assertThat(kept.get(0).path()).isEqualTo("/5");
        assertThat(kept.get(kept.size() - 1).path()).isEqualTo("/" + (RequestLog.KEPT + 4));
    }

    private static byte[] body(SimBlob blob) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        blob.writeBody(out);
        return out.toByteArray();
    }
}
