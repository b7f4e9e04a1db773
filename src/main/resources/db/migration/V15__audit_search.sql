-- Audit search (routes/audit-search.camel.yaml): queries of Microsoft Graph's audit log query API (beta), one row per
-- query we asked for, whatever came of it. status: pending (not submitted yet), notStarted, running, succeeded (its
-- records being read: next_link is where reading goes on after a restart), stored (all its records stored), split
-- (truncated by Microsoft's record limit: its records stored and its range asked again in two halves, the children
-- naming it as parent), failed, cancelled. graph_id is set in the transaction after the submission, so a query
-- submitted before a restart is polled again, never submitted again; one whose answer was lost (submitting_at set,
-- graph_id null) is looked for by its displayName before it is submitted again. root_id: the query whose gaps the tree fills.
CREATE TABLE audit_search_query (
    id               VARCHAR(36)   NOT NULL,
    tenant_id        VARCHAR(64)   NOT NULL,
    graph_id         VARCHAR(128),
    range_from       TIMESTAMP WITH TIME ZONE NOT NULL,
    range_to         TIMESTAMP WITH TIME ZONE NOT NULL,
    record_types     VARCHAR(2000),
    services         VARCHAR(2000),
    operations       VARCHAR(2000),
    users            VARCHAR(4000),
    reason           VARCHAR(1024) NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    detail           VARCHAR(2000),
    truncated        BOOLEAN       NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    submitting_at    TIMESTAMP WITH TIME ZONE,  -- set before the POST: its answer may be lost with the process
    submitted_at     TIMESTAMP WITH TIME ZONE,
    polled_at        TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    records_stored   BIGINT        NOT NULL,
    next_link        ${text_type},
    parent_id        VARCHAR(36),
    root_id          VARCHAR(36)   NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX audit_search_query_tenant ON audit_search_query (tenant_id, status);

-- A gap (V5) is asked for once (audit_search_id: the root query) and marked filled when that query's records, its
-- splits' included, are all stored; a gap whose query failed or was cancelled stays open.
ALTER TABLE gap ADD COLUMN audit_search_id VARCHAR(36);
ALTER TABLE gap ADD COLUMN filled_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE gap ADD COLUMN filled_by VARCHAR(128);
