package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.o365audit.it.faults.FaultReport;
import org.o365audit.it.faults.Tally;
import org.o365audit.simulator.SimBlob;

/**
 * Fault suite: this host's clock off against Microsoft's by ten minutes, either way (the collector's Clock
 * bean is offset; the simulated Microsoft keeps true time and says so in its Date header). Blobs at both ends
 * of the 7 days the API serves are collected once, and no listing window is refused after the first answer.
 */
abstract class SkewedHostClockFaults extends CollectorTestBase {

    abstract Duration skew();

    @Test
    void everyRecordOnceWhateverTheHostsClockSays() {
        TestTenant t = tenant();
        Instant microsoftNow = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Set<String> ids = new HashSet<>();
        List<Instant> at = List.of(microsoftNow.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(30)),
                microsoftNow.minus(Duration.ofDays(3)), microsoftNow.minus(Duration.ofMinutes(3)));
        for (int i = 0; i < at.size(); i++) {
            List<String> records = TestRecords.records(5, t.id(), at.get(i));
            records.forEach(r -> ids.add(r.substring(r.indexOf("\"Id\":\"") + 6, r.indexOf("\"Id\":\"") + 42)));
            t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, TestRecords.contentId("skew", i), at.get(i), at.get(i), records));
        }
        start(t);
        awaitStored(t, ids.size());
        await().atMost(PATIENCE).until(() -> apiCalls(t, "/subscriptions/content").size() >= 12);
        List<String> stored = jdbc.queryForList("SELECT id FROM audit_event WHERE tenant_id = ?", String.class, t.id());
        long refused = t.sim().requests().stream().filter(r -> r.status() == 400).count();
        long refusedLater = t.sim().requests().stream().filter(r -> r.status() == 400).skip(1).count();
        Tally tally = Tally.of(ids, stored);
        FaultReport.standard().append(FaultReport.Row.of("host clock " + Math.abs(skew().toMinutes()) + " min "
                + (skew().isNegative() ? "behind" : "ahead of") + " Microsoft's", 1, tally, OptionalDouble.empty(),
                "windows follow the server's Date header; listings refused: " + refused
                        + (refused > 0 ? " (the first poll, planned before any answer)" : "")));
        assertThat(tally.lost()).isZero();
        assertThat(tally.duplicated()).isZero();
        assertThat(refusedLater).as("no window refused once the server's clock is known").isZero();
    }

    static Clock offset(Duration d) {
        return Clock.offset(Clock.systemUTC(), d);
    }
}
