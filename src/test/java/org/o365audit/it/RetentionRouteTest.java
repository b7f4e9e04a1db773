package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.SimpleTrigger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The retention route of routes/housekeeping.camel.yaml as production loads it: its timer and what it calls. */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:retention-route;DB_CLOSE_DELAY=-1",
        // a Quartz scheduler of its own: the test contexts cached in this JVM would otherwise share one, and a
        // job named o365.retention could fire with another context's endpoint
        "camel.component.quartz.properties[org.quartz.scheduler.instanceName]=o365-retention-route-test",
        "o365.retention.quarantine=30d",
        "o365.retention.interval=2h"})
class RetentionRouteTest extends CollectorTestBase {
    @Autowired
    CamelContext camel;

    @Test
    void runsRetentionOnItsOwnQuartzTimerEveryConfiguredInterval() throws Exception {
        QuartzEndpoint endpoint = (QuartzEndpoint) camel.getRoute("retention").getEndpoint();
        Scheduler quartz = endpoint.getComponent().getScheduler();
        SimpleTrigger trigger = (SimpleTrigger) quartz.getTrigger(endpoint.getTriggerKey());
        assertThat(trigger.getRepeatInterval()).isEqualTo(Duration.ofHours(2).toMillis());

        // the timer's first run comes right at start: let it pass, so that only the run fired below meets the rows
        await().atMost(PATIENCE).until(() -> quartz.getTrigger(endpoint.getTriggerKey()).getPreviousFireTime() != null
                && quartz.getCurrentlyExecutingJobs().isEmpty());
        String tenant = UUID.randomUUID().toString();
        quarantined(tenant, Instant.now().minus(Duration.ofDays(31)));
        quarantined(tenant, Instant.now().minus(Duration.ofDays(29)));
        assertThat(quarantined(tenant)).isEqualTo(2);

        quartz.triggerJob(trigger.getJobKey());

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(quarantined(tenant)).isEqualTo(1));
    }

    private void quarantined(String tenant, Instant at) {
        jdbc.update("""
                INSERT INTO quarantine (tenant_id, tenant_name, content_type, content_id, reason, created_at)
                VALUES (?, 'contoso', 'Audit.Exchange', 'blob', 'not valid JSON', ?)""", tenant, Timestamp.from(at));
    }

    private int quarantined(String tenant) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM quarantine WHERE tenant_id = ?", Integer.class, tenant);
    }
}
