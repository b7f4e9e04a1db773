-- Where each record came from: the Management Activity API, Power BI activity events or Dataverse audit.
ALTER TABLE audit_event ADD COLUMN source VARCHAR(32) DEFAULT 'management-api' NOT NULL;

-- Per tenant and delayed feed (powerbi, dataverse:<environment url>): the settled watermark (event time
-- before which the data is complete) and the position of the re-scan in progress, so a restart resumes it.
CREATE TABLE delayed_feed_state (
    tenant_id        VARCHAR(64)  NOT NULL,
    feed             VARCHAR(600) NOT NULL,
    settled_until    TIMESTAMP WITH TIME ZONE NOT NULL,
    scan_started_at  TIMESTAMP WITH TIME ZONE,
    scan_position    TIMESTAMP WITH TIME ZONE,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, feed)
);
