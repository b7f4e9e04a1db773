-- Progress of the accounts component (routes/directory-sync.camel.yaml): per tenant and resource (users, groups)
-- the Graph link to continue from, stored in the same transaction as the page it follows. During a round it is the
-- @odata.nextLink, at the end the @odata.deltaLink; a restart goes on from it. round_number counts the full reads:
-- rows of directory_user/directory_group/directory_member carry the round that last saw them (seen_round), and
-- when a full read completes, the tenant's rows it did not see are deleted (removed while the delta link was dead).
CREATE TABLE graph_delta (
    tenant_id         VARCHAR(64)  NOT NULL,
    resource          VARCHAR(32)  NOT NULL,
    link              ${text_type} NOT NULL,
    round_number      BIGINT       NOT NULL,
    full_read         BOOLEAN      NOT NULL,
    round_started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_completed_at TIMESTAMP WITH TIME ZONE,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, resource)
);
