package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Power BI allows 200 admin-API requests per hour per tenant; the collector counts its own and never
 * sends more than o365.delayed.powerbi-requests-per-hour (12 here, so the test needs no hour).
 */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:budget;DB_CLOSE_DELAY=-1",
        "o365.delayed.poll-interval=1s",
        "o365.delayed.powerbi-requests-per-hour=12"})
class PowerBiRequestBudgetTest extends CollectorTestBase {

    @Test
    void neverExceedsThePowerBiRequestBudget() {
        TestTenant t = tenant();
        t.props().setContentTypes(List.of());
        t.props().getPowerbi().setEnabled(true);
        t.props().getPowerbi().setApiUrl(MICROSOFT.baseUrl() + "/powerbi");
        t.sim().powerBi().pageSize(1);
        for (int i = 0; i < 30; i++) {
            Instant at = DelayedFeedScenarios.hoursAgo(2 + 4L * i);
            t.sim().powerBi().addEvent(DelayedFeedScenarios.pbiEvent(UUID.randomUUID().toString(), t.id(), at), at);
        }
        start(t);
        await().atMost(PATIENCE).until(() -> t.sim().powerBi().requests().size() >= 12);
        await().pollDelay(Duration.ofSeconds(5)).atMost(PATIENCE).until(() -> true);   // several more cycles
        assertThat(t.sim().powerBi().requests()).hasSize(12).allMatch(r -> r.status() == 200);
        assertThat(t.sim().powerBi().requestsInLastHour()).isEqualTo(12);
        assertThat(stored(t)).isBetween(1, 29);
    }
}
