-- The apps component (third-party apps with access to a tenant, table app_principal of V9).
-- A tenant's first inventory is its baseline: the apps found then are recorded without events, since nobody can
-- tell when they were granted. This row says the baseline exists, so that a tenant with no third-party app at its
-- first run still reports the first one granted later.
CREATE TABLE app_inventory_state (
    tenant_id    VARCHAR(64) NOT NULL,
    baseline_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_run_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    apps         INTEGER NOT NULL,
    grants       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id)
);

-- When an app's permission set last changed (grew or shrank): part of an event's Id, so that permissions removed
-- and granted again are a new event, while a rerun of the same change is the same one.
ALTER TABLE app_principal ADD COLUMN permissions_changed_at TIMESTAMP WITH TIME ZONE;
