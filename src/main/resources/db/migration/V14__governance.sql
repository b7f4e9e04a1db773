-- Governance actions (routes/governance-actions.camel.yaml): one row per request, whatever came of it (done,
-- already, would-change, nothing-to-do, refused, failed), dry run or real; the same row goes to the sinks as an event
-- of source governance whose Id is this row's id. Texts are cut to their columns; no token is ever stored.
CREATE TABLE governance_action (
    id            VARCHAR(36)  NOT NULL,
    tenant_id     VARCHAR(64),            -- null when the request named no configured tenant
    tenant_name   VARCHAR(128) NOT NULL,
    action        VARCHAR(32)  NOT NULL,
    target        VARCHAR(1024),
    requested_by  VARCHAR(256) NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    reason        VARCHAR(1024),
    dry_run       BOOLEAN      NOT NULL,
    forced        BOOLEAN      NOT NULL,
    outcome       VARCHAR(16)  NOT NULL,
    detail        VARCHAR(4000) NOT NULL,
    ms_status     INTEGER,
    ms_answer     VARCHAR(2000),
    PRIMARY KEY (id)
);
CREATE INDEX governance_action_latest ON governance_action (tenant_id, requested_at);
