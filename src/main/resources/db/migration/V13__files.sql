-- The files component (routes/file-watch.camel.yaml): the SharePoint and OneDrive files that the tenant's file and
-- sharing activities touched, as Microsoft Graph showed them at the last read, with their sharing level.
-- url_key is the SHA-256 (hex) of the file's URL percent-decoded and lower-cased (as SharePoint compares URLs), so
-- that an audit record's ObjectId finds the row whatever the URL's length; a file that Graph no longer finds keeps
-- its row with deleted = TRUE.
CREATE TABLE file_item (
    tenant_id         VARCHAR(64)   NOT NULL,
    drive_id          VARCHAR(128)  NOT NULL,
    item_id           VARCHAR(128)  NOT NULL,
    url_key           VARCHAR(64)   NOT NULL,
    site_url          VARCHAR(2048),
    web_url           VARCHAR(2048) NOT NULL,
    path              VARCHAR(2048),
    name              VARCHAR(512),
    owner             VARCHAR(512),
    size_bytes        BIGINT,
    last_modified     TIMESTAMP WITH TIME ZONE,
    sharing_level     VARCHAR(16)   NOT NULL,
    sharing           ${text_type},
    permission_ids    ${text_type},
    deleted           BOOLEAN       NOT NULL,
    last_activity     VARCHAR(128),
    last_activity_id  VARCHAR(512),
    last_activity_at  TIMESTAMP WITH TIME ZONE,
    first_seen        TIMESTAMP WITH TIME ZONE NOT NULL,
    checked_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, drive_id, item_id)
);
CREATE INDEX file_item_url ON file_item (tenant_id, url_key);
CREATE INDEX file_item_checked ON file_item (tenant_id, checked_at);

-- Per tenant: the last audit record (in the delivery order, as the sinks read it) whose file was applied.
CREATE TABLE file_cursor (
    tenant_id   VARCHAR(64) NOT NULL,
    epoch       BIGINT      NOT NULL,
    seq         BIGINT      NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id)
);
