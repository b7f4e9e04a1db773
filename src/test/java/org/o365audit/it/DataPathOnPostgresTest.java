package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.o365audit.simulator.SimBlob;
import org.o365audit.store.BlobKeys;
import org.springframework.test.context.TestPropertySource;

/** The data path's hardening on the real PostgreSQL at 127.0.0.1:5432 (database test, schema o365_datapath). */
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=o365_datapath",
        "spring.datasource.username=postgres",
        "spring.datasource.password=",
        "spring.flyway.schemas=o365_datapath",
        "spring.flyway.create-schemas=true"})
class DataPathOnPostgresTest extends DataPathScenarios {
    static {
        Postgres.dropSchema("o365_datapath");
    }

    /**
     * Another node of a cluster is collecting the same blob: its transaction has claimed the blob's ledger row and
     * not yet committed. This node's blob transaction waits for it, then skips the blob: no failed attempt, no
     * error, and the window completes.
     */
    @Test
    void aBlobAnotherNodeIsCollectingIsSkippedQuietlyOnceThatNodeCommitted() throws Exception {
        TestTenant t = tenant();
        Instant c = minutesAgo(40);
        String raced = TestRecords.contentId("raced-" + t.id().substring(0, 8), 0);
        t.sim().addBlob(SimBlob.ofRecords(EXCHANGE, raced, c, c, TestRecords.records(3, t.id(), c)));
        try (Connection otherNode = DriverManager.getConnection(Postgres.URL + "?currentSchema=o365_datapath", "postgres", "")) {
            otherNode.setAutoCommit(false);
            try (PreparedStatement claim = otherNode.prepareStatement("""
                    INSERT INTO blob_ledger (tenant_id, content_id, content_type, status, records_stored, records_duplicate,
                    collected_at) VALUES (?, ?, ?, 'collected', 3, 0, ?)""")) {
                claim.setString(1, t.id());
                claim.setString(2, BlobKeys.of(raced));
                claim.setString(3, EXCHANGE);
                claim.setTimestamp(4, Timestamp.from(Instant.now()));
                claim.executeUpdate();
            }
            start(t);
            await().atMost(PATIENCE).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM pg_stat_activity WHERE "
                    + "wait_event_type = 'Lock' AND query LIKE '%blob_ledger%'", Integer.class) > 0);
            otherNode.commit();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(cursors.listedUntil(t.id(), EXCHANGE)).isAfter(c));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM blob_attempt WHERE tenant_id = ?", Integer.class, t.id()))
                .as("not a failed attempt").isZero();
        assertThat(stored(t)).as("the other node stores the records").isZero();
        assertThat(ledgered(t)).isEqualTo(1);
    }
}
