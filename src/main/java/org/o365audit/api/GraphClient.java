package org.o365audit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.o365audit.config.Tenant;
import org.springframework.stereotype.Component;

/**
 * Calls to Microsoft Graph for a tenant's Graph components, with the tenant's own msal4j credentials and a token for
 * its cloud's Graph ({@code <graph host>/.default}), through {@link TenantHttp}: a 401 re-acquires the token once,
 * 429 backs off the tenant's Graph calls (its own throttle key, apart from the Management API's) honouring
 * Retry-After, 5xx retry. Every URL, a first one or an {@code @odata.nextLink}/{@code @odata.deltaLink} the service
 * returned, must be on the tenant's Graph host before the token is sent (shared/docs/graph.md 1, 2.1, 6).
 */
@Component
public class GraphClient {
    private final TenantHttp http;
    private final ObjectMapper mapper;

    public GraphClient(TenantHttp http, ObjectMapper mapper) {
        this.http = http;
        this.mapper = mapper;
    }

    /** {@code <graph root>/v1.0<pathAndQuery>}, e.g. {@code /users/delta?$select=id}. */
    public URI url(Tenant tenant, String pathAndQuery) {
        return URI.create(tenant.graphUrl() + "/v1.0" + pathAndQuery);
    }

    /**
     * {@code <graph root>/beta<path>}: APIs Microsoft offers only in beta (the audit log query API was moved back from
     * v1.0 to beta). The same host, token and origin check as v1.0.
     */
    public URI betaUrl(Tenant tenant, String path) {
        return URI.create(tenant.graphUrl() + "/beta" + path);
    }

    /** One page (or object) of a Graph GET. Errors come as {@link ManagementApiException} with Graph's code. */
    public JsonNode get(Tenant tenant, URI uri, String what) {
        return get(tenant, uri, what, Map.of());
    }

    public JsonNode get(Tenant tenant, URI uri, String what, Map<String, String> headers) {
        String context = "tenant " + tenant.name() + ": Graph " + what;
        TenantHttp.requireOrigin(tenant.graphOrigin(), uri, context, "the tenant's Graph host");
        try (ClassicHttpResponse r = http.execute(tenant, new TenantHttp.Call("GET", uri, tenant.cloud().graphScope(),
                throttleKey(tenant), "Graph " + what, headers, null))) {
            JsonNode body = r.getEntity() == null ? null : mapper.readTree(r.getEntity().getContent());
            if (body == null || !body.isObject()) {
                throw new ManagementApiException(context, r.getCode(), null, "the answer is not a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new ManagementApiException(context, 0, null, "unreadable answer: " + e.getMessage());
        }
    }

    /**
     * A Graph write (PATCH, POST, DELETE) or a read made for a governance action: under the tenant's own throttle key
     * for actions ({@link #actionThrottleKey}), so that a component's throttled reads never hold up an action, and
     * the other way round. Returns the status and the JSON answer (null when there is none, e.g. 204); an error comes
     * as {@link ManagementApiException} with Graph's status and code, a throttled tenant as
     * {@link TenantBackingOffException}.
     */
    public Answer send(Tenant tenant, String method, URI uri, String what, String jsonBody) {
        return send(tenant, method, uri, what, jsonBody, actionThrottleKey(tenant));
    }

    /** As {@link #send(Tenant, String, URI, String, String)}, backing off with the calls of {@code throttleKey}. */
    public Answer send(Tenant tenant, String method, URI uri, String what, String jsonBody, String throttleKey) {
        String context = "tenant " + tenant.name() + ": Graph " + what;
        TenantHttp.requireOrigin(tenant.graphOrigin(), uri, context, "the tenant's Graph host");
        try (ClassicHttpResponse r = http.execute(tenant, new TenantHttp.Call(method, uri, tenant.cloud().graphScope(),
                throttleKey, "Graph " + what, Map.of(), null, jsonBody))) {
            JsonNode body = null;
            if (r.getEntity() != null) {
                byte[] bytes = r.getEntity().getContent().readAllBytes();
                body = bytes.length == 0 ? null : mapper.readTree(bytes);
            }
            return new Answer(r.getCode(), body);
        } catch (IOException e) {
            throw new ManagementApiException(context, 0, null, "unreadable answer: " + e.getMessage());
        }
    }

    /** What Graph answered a call that succeeded: its status (2xx) and its JSON body, null when empty. */
    public record Answer(int status, JsonNode body) {
    }

    /** A tenant's governance actions back off together, apart from the Graph components' reads. */
    public static String actionThrottleKey(Tenant tenant) {
        return tenant.tenantId() + "|graph-actions";
    }

    /** The calls of one tenant to Graph back off together, apart from its Management API and Power BI calls. */
    public static String throttleKey(Tenant tenant) {
        return tenant.tenantId() + "|graph";
    }

    /**
     * The id under which Graph's {@code /shares/{id}/driveItem} finds the drive item at a URL (a file's URL as the
     * audit records name it, ObjectId, or a sharing link): {@code u!} and the URL in unpadded base64url, with '/' as
     * '_' and '+' as '-' (Learn: "Accessing shared DriveItems", encoding sharing URLs).
     */
    public static String shareId(String url) {
        return "u!" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(url.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@code @odata.nextLink} of a page, or null on the last page. */
    public static URI nextLink(JsonNode page) {
        return link(page, "@odata.nextLink");
    }

    /** {@code @odata.deltaLink} of the last page of a delta round, or null. */
    public static URI deltaLink(JsonNode page) {
        return link(page, "@odata.deltaLink");
    }

    private static URI link(JsonNode page, String name) {
        JsonNode n = page.get(name);
        return n == null || !n.isTextual() || n.asText().isBlank() ? null : URI.create(n.asText());
    }
}
