-- Durable fan-out to sinks. Rows of audit_event commit out of seq order (blob transactions overlap), so a
-- sink cannot tail seq. The delivery sequencer stamps committed rows that have no delivery_epoch yet with
-- the next epoch, in a short transaction of its own: every row of epoch E is visible before any row of
-- epoch E+1 exists. A sink reads in (delivery_epoch, seq) order after its own position and never skips a row.
ALTER TABLE audit_event ADD COLUMN delivery_epoch BIGINT;
CREATE INDEX audit_event_delivery ON audit_event (delivery_epoch, seq);

CREATE TABLE delivery_sequencer (
    id          INTEGER NOT NULL PRIMARY KEY,
    last_epoch  BIGINT  NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO delivery_sequencer (id, last_epoch, updated_at) VALUES (1, 0, CURRENT_TIMESTAMP);

-- One row per sink: everything up to (epoch, seq) has been delivered (or set aside). A claimed batch that
-- is not yet confirmed is the pending_* range with a fixed batch id, so a retry (also after kill -9)
-- sends the same records under the same id; pending_done counts the records of it a destination has
-- already taken (Splunk HEC indexes the events before a bad one), so a retry resumes after them.
CREATE TABLE sink_position (
    sink             VARCHAR(128) NOT NULL PRIMARY KEY,
    epoch            BIGINT       NOT NULL,
    seq              BIGINT       NOT NULL,
    pending_batch    VARCHAR(64),
    pending_epoch    BIGINT,
    pending_seq      BIGINT,
    pending_count    INTEGER,
    pending_done     INTEGER,
    delivered        BIGINT       NOT NULL,
    set_aside        BIGINT       NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Records a destination refused for good (a 4xx other than 429, a bulk item rejected by the mapping, a HEC
-- event with invalid data), kept with the reason so nothing is silently dropped.
CREATE TABLE sink_set_aside (
    sid          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sink         VARCHAR(128)  NOT NULL,
    batch_id     VARCHAR(64)   NOT NULL,
    tenant_id    VARCHAR(64)   NOT NULL,
    record_id    VARCHAR(512)  NOT NULL,
    reason       VARCHAR(2000) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sink_set_aside_sink ON sink_set_aside (sink, created_at);
