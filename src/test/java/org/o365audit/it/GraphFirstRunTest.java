package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.o365audit.ops.CollectorStatus;
import org.o365audit.simulator.SimulatedDirectory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A Graph component runs as soon as its tenant starts, whatever its interval: its first run is fired at once, not
 * left to the trigger's first fire (which Quartz may fire 2 ms early and camel-quartz then skips), so an hourly
 * component does not wait a tick, or an hour, for its first run; after it, the interval holds.
 */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:graph-first-run;DB_CLOSE_DELAY=-1",
        "o365.graph.accounts-interval=1h"})
class GraphFirstRunTest extends CollectorTestBase {
    @Autowired
    CollectorStatus status;

    @Test
    void anHourlyComponentRunsAtOnceThenWaitsItsInterval() {
        TestTenant t = tenant();
        t.props().setContentTypes(List.of());
        t.props().setComponents(List.of("accounts"));
        t.props().setGraphUrl(MICROSOFT.graphUrl());
        t.sim().graph().directory().addUser("u1", "megan@contoso.com", "Megan Bowen", "Marketing", false);
        t.sim().graph().directory().addGroup("g1", "Marketing", SimulatedDirectory.GroupKind.MICROSOFT365);
        start(t);
        // the trigger's own first tick is a minute away (the tick of an hourly component)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status.get(t.id(), "accounts").summary())
                .isEqualTo("1 users, 1 groups (1 Microsoft 365), 0 memberships"));
        long calls = t.sim().graph().requests().size();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> t.sim().graph().requests().size() == calls);
    }
}
