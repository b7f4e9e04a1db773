package org.o365audit.collect;

import java.util.ArrayList;
import java.util.List;
import org.o365audit.collect.FeedSources;
import org.o365audit.config.Tenant;

/**
 * One delayed feed of a tenant: its Power BI activity events, or the audit table of one Dataverse
 * environment. {@code key} names it in the state table; {@code id} in route and trigger names.
 */
public record DelayedFeed(Kind kind, String key, String id, String environmentUrl) {

    public enum Kind {
        POWERBI, DATAVERSE
    }

    public static List<DelayedFeed> of(Tenant tenant) {
        List<DelayedFeed> feeds = new ArrayList<>();
        if (tenant.powerBiEnabled()) {
            feeds.add(new DelayedFeed(Kind.POWERBI, "powerbi", "powerbi", null));
        }
        for (int i = 0; i < tenant.dataverseEnvironments().size(); i++) {
            String env = tenant.dataverseEnvironments().get(i);
            feeds.add(new DelayedFeed(Kind.DATAVERSE, "dataverse:" + env, "dataverse-" + i, env));
        }
        return feeds;
    }

    public static DelayedFeed byKey(Tenant tenant, String key) {
        return of(tenant).stream().filter(f -> f.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("tenant " + tenant.name() + " has no delayed feed " + key));
    }

    /** Content type of the batches, which also gives the {@code source} column. */
    public String contentType() {
        return kind == Kind.POWERBI ? FeedSources.POWERBI_CONTENT : FeedSources.DATAVERSE_CONTENT;
    }

    public String describe() {
        return kind == Kind.POWERBI ? "Power BI activity events" : "Dataverse audit " + environmentUrl;
    }
}
