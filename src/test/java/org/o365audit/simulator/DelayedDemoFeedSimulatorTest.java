package org.o365audit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DelayedDemoFeedSimulatorTest {

    private static final String TENANT = "5b7c1c9e-3a1d-4c55-9f0e-0d6f4f3b2a10";
    private static final String SCOPE = "https://analysis.windows.net/powerbi/api/.default";
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAYS_3 = Duration.ofHours(72);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagementApiSimulatorTest.MutableClock clock =
            new ManagementApiSimulatorTest.MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private ManagementApiSimulator simulator;
    private SimulatedTenant tenant;

    @BeforeEach
    void start() {
        simulator = ManagementApiSimulator.start(0, clock, TestTls.LOCALHOST);
        tenant = simulator.tenant(TENANT);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void populateDelayedMakesEventsVisibleOneTo72HoursAfterTheyHappened() throws Exception {
        DemoFeed.populateDelayed(tenant, clock, Duration.ofDays(7));

        List<PowerBiEvent> events = tenant.powerBi().events();
        assertThat(events).hasSizeBetween(7 * 24 * 2, 7 * 24 * 5);
        List<Duration> delays = events.stream().map(e -> Duration.between(e.creationTime(), e.visibleFrom())).toList();
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(HOUR, DAYS_3));
        assertThat(delays).anySatisfy(d -> assertThat(d).isLessThan(Duration.ofMinutes(90)));
        assertThat(delays).anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofHours(66)));
        assertThat(delays.stream().filter(d -> d.compareTo(Duration.ofHours(4)) <= 0).count())
                .as("most within a few hours").isGreaterThan(delays.size() / 2);
        assertThat(events).allSatisfy(e -> {
            JsonNode event = JSON.readTree(e.json());
            assertThat(event.path("OrganizationId").asText()).isEqualTo(TENANT);
            assertThat(event.path("Workload").asText()).isEqualTo("PowerBI");
            assertThat(event.path("CreationTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
            assertThat(e.creationTime()).isBetween(clock.instant().minus(Duration.ofDays(7)), clock.instant());
        });
        assertThat(events).extracting(e -> JSON.readTree(e.json()).path("Activity").asText())
                .contains("ViewReport", "ViewDashboard", "ExportReport", "ShareReport");
        assertThat(events).extracting(PowerBiEvent::visibleFrom).as("some are not visible yet")
                .anySatisfy(t -> assertThat(t).isAfter(clock.instant()));

        List<DataverseAudit> rows = tenant.dataverse("contoso").rows();
        assertThat(rows).hasSizeBetween(7 * 24, 7 * 24 * 3);
        assertThat(rows).allSatisfy(r -> {
            assertThat(Duration.between(r.createdOn(), r.visibleFrom())).isBetween(HOUR, DAYS_3);
            JsonNode row = JSON.readTree(r.json());
            assertThat(row.path("createdon").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(row.path("operation").asInt()).isBetween(1, 4);
            assertThat(row.has("action")).isTrue();
        });

        // the same history again gives the same ids
        try (ManagementApiSimulator again = ManagementApiSimulator.start(0, clock, TestTls.LOCALHOST)) {
            SimulatedTenant copy = again.tenant(TENANT);
            DemoFeed.populateDelayed(copy, clock, Duration.ofDays(7));
            assertThat(copy.powerBi().events()).extracting(PowerBiEvent::id)
                    .containsExactlyElementsOf(events.stream().map(PowerBiEvent::id).toList());
            assertThat(copy.dataverse("contoso").rows()).extracting(DataverseAudit::auditId)
                    .containsExactlyElementsOf(rows.stream().map(DataverseAudit::auditId).toList());
        }
    }

    @Test
    void delayedEventsReachTheApisOnlyLater() throws Exception {
        DemoFeed.populateDelayed(tenant, clock, Duration.ofDays(3));
        SimulatorClient client = new SimulatorClient(simulator);
        String yesterday = simulator.baseUrl() + "/powerbi/v1.0/myorg/admin/activityevents"
                + "?startDateTime='2026-11-23T00:00:00'&endDateTime='2026-11-23T23:59:59'";

        int before = countToTheEnd(client, yesterday, client.token(tenant, SCOPE));
        clock.advance(DAYS_3);
        int after = countToTheEnd(client, yesterday, client.token(tenant, SCOPE));

        long happenedYesterday = tenant.powerBi().events().stream()
                .filter(e -> e.creationTime().toString().startsWith("2026-11-23")).count();
        assertThat(before).isLessThan(after);
        assertThat(after).isEqualTo((int) happenedYesterday);
    }

    @Test
    void delayedTrickleAddsEventsThatHappenedHoursAgo() throws Exception {
        Clock system = Clock.systemUTC();
        try (AutoCloseable trickle = DemoFeed.startDelayedTrickle(tenant, system, Duration.ofMillis(50), Duration.ofDays(7))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (tenant.powerBi().events().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        List<PowerBiEvent> events = tenant.powerBi().events();
        assertThat(events).hasSizeGreaterThanOrEqualTo(2);
        assertThat(events).allSatisfy(e -> {
            assertThat(Duration.between(e.creationTime(), e.visibleFrom())).isBetween(HOUR, DAYS_3);
            assertThat(e.visibleFrom()).isBeforeOrEqualTo(system.instant());
        });
        assertThat(tenant.dataverse("contoso").rows()).isNotEmpty();
    }

    @Test
    void managementFeedPowerBiAndDynamicsRecordsAreHoursOlderThanTheirBlob() throws Exception {
        DemoFeed.populate(tenant, clock, Duration.ofDays(7), Duration.ofMinutes(30));

        int delayed = 0;
        boolean overADay = false;
        Set<String> seen = new HashSet<>();
        for (SimBlob blob : tenant.blobs("Audit.General")) {
            for (String text : blob.records()) {
                JsonNode record = JSON.readTree(text);
                if (!seen.add(record.path("Id").asText())) {
                    continue; // a by-design duplicate of an earlier blob's record is older than this blob
                }
                Instant created = Instant.parse(record.path("CreationTime").asText() + "Z");
                Duration age = Duration.between(created, blob.contentCreated());
                int type = record.path("RecordType").asInt();
                if (type == 20 || type == 21) {
                    assertThat(age).as(text).isBetween(HOUR, DAYS_3);
                    overADay |= age.compareTo(Duration.ofHours(24)) > 0;
                    delayed++;
                } else {
                    assertThat(age).as(text).isLessThan(Duration.ofHours(3));
                }
            }
        }
        assertThat(delayed).isGreaterThan(0);
        assertThat(overADay).isTrue();
    }

    private static int countToTheEnd(SimulatorClient client, String url, String token) throws Exception {
        int count = 0;
        String next = url;
        while (next != null) {
            JsonNode page = SimulatorClient.json(client.get(next, token));
            count += page.path("activityEventEntities").size();
            next = page.path("continuationUri").isNull() ? null : page.path("continuationUri").asText();
        }
        return count;
    }
}
