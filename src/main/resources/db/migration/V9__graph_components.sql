-- The Microsoft Graph components of a tenant (o365.tenants[i].components): accounts and groups, third-party apps.
-- These tables are what collection reads to enrich audit records; each component keeps its own progress tables.

-- Users of the tenant, kept by the accounts component from users/delta. upn_lower is the lookup key for the
-- audit records' UserId; removed users are deleted.
CREATE TABLE directory_user (
    tenant_id            VARCHAR(64)  NOT NULL,
    id                   VARCHAR(64)  NOT NULL,
    user_principal_name  VARCHAR(512),
    upn_lower            VARCHAR(512),
    display_name         VARCHAR(512),
    mail                 VARCHAR(512),
    department           VARCHAR(256),
    job_title            VARCHAR(256),
    account_enabled      BOOLEAN,
    on_premises_sync     BOOLEAN,
    user_type            VARCHAR(32),
    created_at           TIMESTAMP WITH TIME ZONE,
    seen_round           BIGINT       NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX directory_user_upn ON directory_user (tenant_id, upn_lower);

-- Groups: kind is microsoft365 (groupTypes has Unified), security, distribution or mail-enabled-security.
CREATE TABLE directory_group (
    tenant_id     VARCHAR(64)  NOT NULL,
    id            VARCHAR(64)  NOT NULL,
    display_name  VARCHAR(512),
    mail          VARCHAR(512),
    kind          VARCHAR(32)  NOT NULL,
    dynamic       BOOLEAN      NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE,
    seen_round    BIGINT       NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Direct membership (groups/delta members@delta): member_type is the member's @odata.type without its prefix.
CREATE TABLE directory_member (
    tenant_id    VARCHAR(64) NOT NULL,
    group_id     VARCHAR(64) NOT NULL,
    member_id    VARCHAR(64) NOT NULL,
    member_type  VARCHAR(64),
    seen_round   BIGINT      NOT NULL,
    PRIMARY KEY (tenant_id, group_id, member_id)
);
CREATE INDEX directory_member_member ON directory_member (tenant_id, member_id);

-- Applications of other organisations with access to the tenant (service principals), kept by the apps component.
-- permissions is the current grant set as text (one "kind resource permission" per line, sorted).
CREATE TABLE app_principal (
    tenant_id           VARCHAR(64)  NOT NULL,
    id                  VARCHAR(64)  NOT NULL,
    app_id              VARCHAR(64)  NOT NULL,
    display_name        VARCHAR(512),
    publisher_name      VARCHAR(512),
    verified_publisher  VARCHAR(512),
    owner_tenant_id     VARCHAR(64),
    permissions         ${text_type},
    first_seen          TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen           TIMESTAMP WITH TIME ZONE NOT NULL,
    removed_at          TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX app_principal_app ON app_principal (tenant_id, app_id);

-- What collection adds from the components above, beside (never inside) raw: the acting user's directory entry
-- and the app that performed the activity (the record's AppId or ClientAppId). Null when not known.
ALTER TABLE audit_event ADD COLUMN actor_display_name VARCHAR(512);
ALTER TABLE audit_event ADD COLUMN actor_department VARCHAR(256);
ALTER TABLE audit_event ADD COLUMN actor_groups VARCHAR(2000);
ALTER TABLE audit_event ADD COLUMN actor_on_premises_sync BOOLEAN;
ALTER TABLE audit_event ADD COLUMN actor_app_id VARCHAR(64);
ALTER TABLE audit_event ADD COLUMN actor_app_name VARCHAR(512);
