package org.o365audit.sink;

import java.sql.Timestamp;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives committed records their place in the delivery order. Blob transactions commit out of seq order, so
 * instead of tailing seq, every run stamps the rows that have no delivery_epoch yet with the next epoch, in
 * one short transaction that holds the sequencer row's lock. All rows of an epoch become visible together,
 * and every later row gets a higher epoch: reading in (delivery_epoch, seq) order never skips a row.
 */
@Component("deliverySequencer")
public class DeliverySequencer {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public DeliverySequencer(DataSource dataSource, PlatformTransactionManager txManager, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(txManager);
        this.tx.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /** Stamps the newly committed records; returns how many. */
    public int sequence() {
        Integer n = tx.execute(status -> {
            Long last = jdbc.queryForObject("SELECT last_epoch FROM delivery_sequencer WHERE id = 1 FOR UPDATE", Long.class);
            long epoch = last + 1;
            int stamped = jdbc.update("UPDATE audit_event SET delivery_epoch = ? WHERE delivery_epoch IS NULL", epoch);
            if (stamped > 0) {
                jdbc.update("UPDATE delivery_sequencer SET last_epoch = ?, updated_at = ? WHERE id = 1",
                        epoch, Timestamp.from(clock.instant()));
            }
            return stamped;
        });
        return n == null ? 0 : n;
    }

    /** The newest epoch handed out. */
    public long lastEpoch() {
        Long last = jdbc.queryForObject("SELECT last_epoch FROM delivery_sequencer WHERE id = 1", Long.class);
        return last == null ? 0 : last;
    }
}
