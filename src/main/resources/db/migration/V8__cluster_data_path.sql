-- Several collector nodes on one PostgreSQL (o365.cluster.enabled): what must hold across the cluster and
-- across restarts lives here rather than in one JVM's memory.

-- Which node holds a sink's claimed batch (a pending batch, or a claimed resend batch), and until when: another
-- node takes the batch over (sends it again under the same id, as after kill -9) only once the lease ran out.
-- The holder renews it on every claim, progress and failure. Unused by a single node.
ALTER TABLE sink_position ADD COLUMN claimed_by VARCHAR(128);
ALTER TABLE sink_position ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;

-- Back-off after throttling, per key (a tenant's Management API, its Power BI API, a Dataverse environment):
-- every node waits until not_before; consecutive grows the next back-off when no Retry-After is given.
CREATE TABLE throttle_backoff (
    throttle_key  VARCHAR(700) NOT NULL PRIMARY KEY,
    not_before    TIMESTAMP WITH TIME ZONE NOT NULL,
    consecutive   INTEGER      NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A sliding-window request budget (Power BI: 200 per hour per tenant) shared by every node: one row per
-- request sent within the period, counted and added while the key's row in request_budget is locked.
CREATE TABLE request_budget (
    budget_key  VARCHAR(700) NOT NULL PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE request_budget_use (
    rid         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_key  VARCHAR(700) NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX request_budget_use_key ON request_budget_use (budget_key, used_at);
