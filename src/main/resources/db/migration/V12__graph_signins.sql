-- The signins component (o365.tenants[i].components: signins): its place in the Graph sign-in log.
-- collected_until: every sign-in created before it is stored (the next window starts a few minutes before it,
-- since sign-ins appear in the log minutes late). licence_retry_at: the tenant had no Entra ID P1/P2 licence;
-- the log is asked again only from then on (hourly), not on every run.
CREATE TABLE signin_cursor (
    tenant_id         VARCHAR(64) NOT NULL,
    collected_until   TIMESTAMP WITH TIME ZONE,
    licence_retry_at  TIMESTAMP WITH TIME ZONE,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id)
);
