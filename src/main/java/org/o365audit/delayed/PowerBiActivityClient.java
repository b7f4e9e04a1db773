package org.o365audit.delayed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.o365audit.api.ManagementApiException;
import org.o365audit.api.RequestBudget;
import org.o365audit.api.TenantHttp;
import org.o365audit.collect.ListingWindow;
import org.o365audit.collect.RecordBatch;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Power BI admin activity events (shared/docs/o365-api.md 3): {@code GET /v1.0/myorg/admin/activityevents}
 * with single-quoted start and end inside one UTC day, then the continuation until the token is null
 * (pages may be empty and still carry a token; lastResultSet is not trusted). Every request of a tenant
 * goes through one budget of o365.delayed.powerbi-requests-per-hour, kept in the database (see RequestBudget).
 */
@Component
public class PowerBiActivityClient {
    static final DateTimeFormatter PBI_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final TenantHttp http;
    private final ObjectMapper mapper;
    private final O365Properties props;
    private final Clock clock;
    private final ConcurrentMap<String, RequestBudget> budgets = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final PlatformTransactionManager txManager;

    public PowerBiActivityClient(TenantHttp http, ObjectMapper mapper, O365Properties props, Clock clock,
                                 DataSource dataSource, PlatformTransactionManager txManager) {
        this.dataSource = dataSource;
        this.txManager = txManager;
        this.http = http;
        this.mapper = mapper;
        this.props = props;
        this.clock = clock;
    }

    /** First page of a window [start, end) inside one UTC day; the API's end is inclusive, so end − 1 s. */
    public URI first(Tenant tenant, ListingWindow w) {
        return URI.create(tenant.powerBiUrl() + "/v1.0/myorg/admin/activityevents?startDateTime="
                + quoted(PBI_TIME.format(w.start())) + "&endDateTime=" + quoted(PBI_TIME.format(w.end().minusSeconds(1))));
    }

    public FeedPage page(Tenant tenant, URI uri) {
        String what = "Power BI activity events";
        TenantHttp.requireOrigin(URI.create(tenant.powerBiUrl()), uri, "tenant " + tenant.name() + ": " + what,
                "the tenant's Power BI host");
        try (ClassicHttpResponse r = http.execute(tenant, new TenantHttp.Call("GET", uri, tenant.cloud().powerBiScope(),
                tenant.tenantId() + "|powerbi", what, Map.of(), budget(tenant)))) {
            JsonNode body = mapper.readTree(r.getEntity().getContent());
            List<RecordBatch.RawRecord> records = new ArrayList<>();
            for (JsonNode e : body.path("activityEventEntities")) {
                if (e.isObject()) {
                    records.add(RecordBatch.RawRecord.of(mapper.writeValueAsString(e), (ObjectNode) e));
                }
            }
            return new FeedPage(records, next(tenant, body));
        } catch (IOException e) {
            throw new ManagementApiException("tenant " + tenant.name() + ": " + what, 0, null, "unreadable answer: " + e.getMessage());
        }
    }

    /** Requests this tenant made in the last hour (for the log and the tests). */
    public int requestsInLastHour(Tenant tenant) {
        return budget(tenant).usedInPeriod();
    }

    private URI next(Tenant tenant, JsonNode body) {
        String token = text(body.path("continuationToken"));
        if (token == null) {
            return null;   // the end, whatever lastResultSet says
        }
        String uri = text(body.path("continuationUri"));
        if (uri != null) {
            return URI.create(uri);
        }
        // the token comes URL-encoded already
        return URI.create(tenant.powerBiUrl() + "/v1.0/myorg/admin/activityevents?continuationToken=" + quoted(token));
    }

    private RequestBudget budget(Tenant tenant) {
        // one budget per tenant, shared by every node through the database
        return budgets.computeIfAbsent(tenant.tenantId(), id -> new RequestBudget("powerbi|" + id,
                props.getDelayed().getPowerbiRequestsPerHour(), Duration.ofHours(1), clock, dataSource, txManager));
    }

    private static String quoted(String s) {
        return URLEncoder.encode("'", StandardCharsets.UTF_8) + s + URLEncoder.encode("'", StandardCharsets.UTF_8);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || n.asText().isBlank() ? null : n.asText();
    }
}
