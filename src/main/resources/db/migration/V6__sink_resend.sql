-- Set-aside records an operator asked to send again (JMX resendSetAside of the Sink MBean): one row per
-- sink_set_aside row while it waits. The sink claims rows under a batch id before it sends them, so a retry,
-- also after kill -9, sends the same records under the same id. Delivered: the set-aside row goes (and this
-- one with it). Refused again: this row goes and the set-aside row keeps the new reason, time and batch.
CREATE TABLE sink_resend (
    sid        BIGINT       NOT NULL PRIMARY KEY REFERENCES sink_set_aside (sid) ON DELETE CASCADE,
    sink       VARCHAR(128) NOT NULL,
    batch_id   VARCHAR(64),
    queued_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sink_resend_sink ON sink_resend (sink, batch_id);

-- A record's rows among the set-aside ones: found when it is sent again, and when a batch sent again after a
-- crash is refused again (it is set aside once per batch, not once per attempt).
CREATE INDEX sink_set_aside_record ON sink_set_aside (sink, tenant_id, record_id);
