-- Failed attempts per blob, kept across restarts: after o365.blob-max-attempts the blob is quarantined so it
-- cannot hold the listing cursor back. A row goes away when the blob is collected.
CREATE TABLE blob_attempt (
    tenant_id     VARCHAR(64)   NOT NULL,
    content_id    VARCHAR(512)  NOT NULL,
    content_type  VARCHAR(64)   NOT NULL,
    attempts      INTEGER       NOT NULL,
    last_error    VARCHAR(2000) NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, content_id)
);

-- Windows of a tenant's content type or delayed feed that can no longer be collected: the collector was down
-- longer than the API keeps content, or a blob expired (AF20051), vanished (AF20050) or was given up.
CREATE TABLE gap (
    gid           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     VARCHAR(64)   NOT NULL,
    tenant_name   VARCHAR(200)  NOT NULL,
    feed          VARCHAR(600)  NOT NULL,
    gap_from      TIMESTAMP WITH TIME ZONE NOT NULL,
    gap_to        TIMESTAMP WITH TIME ZONE NOT NULL,
    content_id    VARCHAR(512)  NOT NULL,
    reason        VARCHAR(2000) NOT NULL,
    detected_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
-- one row per blob (content_id), or per outage (content_id '', keyed by where the gap starts)
CREATE UNIQUE INDEX gap_key ON gap (tenant_id, feed, content_id, gap_from);

-- Windows an operator asked to collect again (JMX backfill): bookkeeping of their own, never the cursor's.
CREATE TABLE backfill_request (
    tenant_id     VARCHAR(64) NOT NULL,
    content_type  VARCHAR(64) NOT NULL,
    range_from    TIMESTAMP WITH TIME ZONE NOT NULL,
    range_to      TIMESTAMP WITH TIME ZONE NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, content_type)
);

-- How a quarantined payload is written: NULL = as text, 'base64' = the exact bytes (invalid UTF-8, U+0000).
ALTER TABLE quarantine ADD COLUMN payload_encoding VARCHAR(16);
