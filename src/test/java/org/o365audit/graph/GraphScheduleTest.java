package org.o365audit.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.o365audit.config.O365Properties;
import org.o365audit.config.TenantComponent;

class GraphScheduleTest {
    private Instant now = Instant.parse("2026-12-05T10:00:00Z");
    private final O365Properties props = new O365Properties();
    private final GraphSchedule schedule = new GraphSchedule(props, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void aComponentRunsAtItsFirstTickThenOncePerInterval() {
        assertThat(schedule.due("t", "apps")).isTrue();
        now = now.plus(Duration.ofMinutes(1));
        assertThat(schedule.due("t", "apps")).isFalse();
        now = now.plus(Duration.ofMinutes(58));
        assertThat(schedule.due("t", "apps")).isFalse();
        // ticks come a minute apart: the one nearest the hour runs it
        now = now.plus(Duration.ofSeconds(31));
        assertThat(schedule.due("t", "apps")).isTrue();
        assertThat(schedule.due("other-tenant", "apps")).as("tenants are apart").isTrue();
    }

    @Test
    void aFailedRunIsTriedAgainAfterFiveMinutesNotAtEveryTick() {
        assertThat(schedule.due("t", "apps")).isTrue();
        schedule.failed("t", "apps");
        now = now.plus(Duration.ofMinutes(4));
        assertThat(schedule.due("t", "apps")).isFalse();
        now = now.plus(Duration.ofMinutes(1));
        assertThat(schedule.due("t", "apps")).isTrue();
        // that one succeeded: the hour again
        now = now.plus(Duration.ofMinutes(5));
        assertThat(schedule.due("t", "apps")).isFalse();
    }

    @Test
    void theTriggerTicksAtMostEveryMinute() {
        props.getGraph().setSigninsInterval(Duration.ofSeconds(20));
        assertThat(props.getGraph().tickOf(TenantComponent.SIGNINS)).isEqualTo(Duration.ofSeconds(20));
        assertThat(props.getGraph().tickOf(TenantComponent.APPS)).isEqualTo(Duration.ofMinutes(1));
        assertThat(schedule.due("t", "signins")).isTrue();
        now = now.plus(Duration.ofSeconds(20));
        assertThat(schedule.due("t", "signins")).isTrue();
    }
}
