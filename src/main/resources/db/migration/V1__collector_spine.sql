-- Column types that differ between PostgreSQL and H2 come in as placeholders (see StoreConfiguration).
-- Audit records, one row per (tenant, record Id): the API repeats records across blobs by design.
CREATE TABLE audit_event (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY,
    tenant_id        VARCHAR(64)   NOT NULL,
    id               VARCHAR(512)  NOT NULL,
    tenant_name      VARCHAR(200)  NOT NULL,
    content_type     VARCHAR(64)   NOT NULL,
    content_id       VARCHAR(512)  NOT NULL,
    creation_time    TIMESTAMP WITH TIME ZONE,
    collected_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lag_seconds      BIGINT,
    workload         VARCHAR(128),
    record_type      INTEGER,
    record_type_name VARCHAR(128),
    operation        VARCHAR(512),
    user_id          VARCHAR(512),
    client_ip        VARCHAR(128),
    app              VARCHAR(64)   NOT NULL,
    raw              ${json_type}  NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX audit_event_seq ON audit_event (seq);
CREATE INDEX audit_event_time ON audit_event (tenant_id, creation_time);

-- Every blob collected (or set aside), kept until it expires, so the look-back skips what it has seen.
CREATE TABLE blob_ledger (
    tenant_id          VARCHAR(64)  NOT NULL,
    content_id         VARCHAR(512) NOT NULL,
    content_type       VARCHAR(64)  NOT NULL,
    content_created    TIMESTAMP WITH TIME ZONE,
    content_expiration TIMESTAMP WITH TIME ZONE,
    status             VARCHAR(16)  NOT NULL,
    records_stored     INTEGER      NOT NULL,
    records_duplicate  INTEGER      NOT NULL,
    collected_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, content_id)
);
CREATE INDEX blob_ledger_expiration ON blob_ledger (content_expiration);

-- Per tenant and content type: listing windows before listed_until are fully collected.
CREATE TABLE listing_cursor (
    tenant_id     VARCHAR(64) NOT NULL,
    content_type  VARCHAR(64) NOT NULL,
    listed_until  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, content_type)
);

-- Subscription starts, so that a restart never starts a subscription again within 15 minutes.
CREATE TABLE subscription_state (
    tenant_id      VARCHAR(64) NOT NULL,
    content_type   VARCHAR(64) NOT NULL,
    last_start_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, content_type)
);

-- Input that could not be stored as a record: a blob that is not JSON, a record that is not an object.
CREATE TABLE quarantine (
    qid           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     VARCHAR(64)  NOT NULL,
    tenant_name   VARCHAR(200) NOT NULL,
    content_type  VARCHAR(64)  NOT NULL,
    content_id    VARCHAR(512) NOT NULL,
    content_uri   VARCHAR(2048),
    reason        VARCHAR(2000) NOT NULL,
    payload       ${text_type},
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX quarantine_blob ON quarantine (tenant_id, content_id);
