-- Tenants an operator paused (JMX operation pause): kept across restarts until resumed.
CREATE TABLE tenant_control (
    tenant_id   VARCHAR(64) NOT NULL PRIMARY KEY,
    paused      BOOLEAN     NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
