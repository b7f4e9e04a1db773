package org.o365audit.delayed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.o365audit.api.ManagementApiException;
import org.o365audit.api.TenantHttp;
import org.o365audit.collect.ListingWindow;
import org.o365audit.collect.RecordBatch;
import org.o365audit.config.O365Properties;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * The audit table of a Dataverse environment (shared/docs/o365-api.md 4.2): filtered and ordered on
 * createdon, paged with {@code Prefer: odata.maxpagesize}, {@code @odata.nextLink} followed unchanged.
 * Each row keeps its raw JSON; the audit-record fields the store needs are derived from it.
 */
@Component
public class DataverseAuditClient {
    private final TenantHttp http;
    private final ObjectMapper mapper;
    private final O365Properties props;

    public DataverseAuditClient(TenantHttp http, ObjectMapper mapper, O365Properties props) {
        this.http = http;
        this.mapper = mapper;
        this.props = props;
    }

    public URI first(String environmentUrl, ListingWindow w) {
        String filter = "createdon ge " + DateTimeFormatter.ISO_INSTANT.format(w.start()) + " and createdon lt "
                + DateTimeFormatter.ISO_INSTANT.format(w.end());
        return URI.create(environmentUrl + "/api/data/v9.2/audits?$filter=" + enc(filter) + "&$orderby=" + enc("createdon asc"));
    }

    public FeedPage page(Tenant tenant, String environmentUrl, URI uri) {
        String what = "Dataverse audit " + environmentUrl;
        TenantHttp.requireOrigin(URI.create(environmentUrl), uri, "tenant " + tenant.name() + ": " + what,
                "the Dataverse environment's host");
        Map<String, String> headers = Map.of("Prefer", "odata.maxpagesize=" + props.getDelayed().getDataversePageSize(),
                "OData-MaxVersion", "4.0", "OData-Version", "4.0");
        try (ClassicHttpResponse r = http.execute(tenant, new TenantHttp.Call("GET", uri, environmentUrl + "/.default",
                tenant.tenantId() + "|dataverse|" + environmentUrl, what, headers, null))) {
            JsonNode body = mapper.readTree(r.getEntity().getContent());
            List<RecordBatch.RawRecord> records = new ArrayList<>();
            for (JsonNode row : body.path("value")) {
                if (row.isObject()) {
                    records.add(RecordBatch.RawRecord.of(mapper.writeValueAsString(row), asAuditRecord((ObjectNode) row)));
                }
            }
            String next = body.path("@odata.nextLink").asText(null);
            return new FeedPage(records, next == null || next.isBlank() ? null : URI.create(next));
        } catch (IOException e) {
            throw new ManagementApiException("tenant " + tenant.name() + ": " + what, 0, null, "unreadable answer: " + e.getMessage());
        }
    }

    /** The audit-record fields of a Dataverse audit row: Id, CreationTime, Operation, UserId, ObjectId, Workload CRM. */
    ObjectNode asAuditRecord(ObjectNode row) {
        ObjectNode rec = mapper.createObjectNode();
        rec.put("Id", row.path("auditid").asText(null));
        rec.put("CreationTime", row.path("createdon").asText(null));
        rec.put("Operation", operation(row));
        rec.put("UserId", row.path("_userid_value").asText(null));
        rec.put("ObjectId", row.path("_objectid_value").asText(null));
        rec.put("Workload", "CRM");
        return rec;
    }

    /** The action's display name when the row carries it, else the operation (1 Create, 2 Update, 3 Delete, 4 Access). */
    static String operation(ObjectNode row) {
        String formatted = row.path("action@OData.Community.Display.V1.FormattedValue").asText(null);
        if (formatted != null) {
            return formatted;
        }
        return switch (row.path("operation").asInt(0)) {
            case 1 -> "Create";
            case 2 -> "Update";
            case 3 -> "Delete";
            case 4 -> "Access";
            default -> row.has("action") ? "action " + row.path("action").asText() : null;
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
