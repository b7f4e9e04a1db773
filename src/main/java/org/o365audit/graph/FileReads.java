package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.o365audit.api.GraphClient;
import org.o365audit.api.ManagementApiException;
import org.o365audit.collect.TenantRegistry;
import org.o365audit.config.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The second step of a files run: each file the run names, read from Microsoft Graph with the tenant's credentials.
 * A file named by an activity is found by its URL ({@code GET /shares/{u!url}/driveItem}), a known file by its ids
 * ({@code GET /drives/{d}/items/{i}}); then all pages of its permissions. 404 itemNotFound: the file is gone (a
 * state of its own, no error). 400 for one URL (Graph does not take it as a sharing URL) skips that file alone.
 * Any other error (403: a permission not granted, throttling, 5xx) ends the run before anything is applied: the
 * cursor stays and the next run reads the same activities again.
 */
@Component("fileReads")
public class FileReads {
    static final String SELECT = "$select=id,name,webUrl,size,parentReference,lastModifiedDateTime,createdBy,"
            + "lastModifiedBy,file,folder,shared";
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");

    private final GraphClient graph;
    private final TenantRegistry tenants;
    private final FileItems items;

    public FileReads(GraphClient graph, TenantRegistry tenants, FileItems items) {
        this.graph = graph;
        this.tenants = tenants;
        this.items = items;
    }

    public FileWork read(FileWork work) {
        Tenant tenant = tenants.get(work.tenantId());
        TenantPeople people = items.people(tenant.tenantId());
        for (Map.Entry<String, FileActivity> e : work.latestByUrl().entrySet()) {
            FileActivity a = e.getValue();
            URI uri = graph.url(tenant, "/shares/" + GraphClient.shareId(a.fileUrl()) + "/driveItem?" + SELECT);
            try {
                JsonNode item = graph.get(tenant, uri, "file of record " + a.recordId());
                if (item.has("folder") && !item.has("file")) {
                    LOG.debug("tenant {} files: record {} names a folder, not watched", tenant.name(), a.recordId());
                    continue;
                }
                work.reads().add(new FileRead(a, e.getKey(), known(tenant, item), state(tenant, item, people)));
            } catch (ManagementApiException m) {
                if (m.status() == 404) {
                    items.atUrl(tenant.tenantId(), e.getKey()).forEach(f -> work.reads().add(new FileRead(a, e.getKey(), f, null)));
                    LOG.debug("tenant {} files: the file of record {} ({}) is gone", tenant.name(), a.recordId(), a.operation());
                } else if (m.status() == 400) {
                    LOG.warn("tenant {} files: record {} skipped: Graph does not take its ObjectId as a file URL: {}",
                            tenant.name(), a.recordId(), m.getMessage());
                } else {
                    throw m;
                }
            }
        }
        for (StoredFile f : work.stale()) {
            URI uri = graph.url(tenant, "/drives/" + f.driveId() + "/items/" + f.itemId() + "?" + SELECT);
            try {
                JsonNode item = graph.get(tenant, uri, "file " + f.itemId() + " of drive " + f.driveId());
                work.reads().add(new FileRead(null, FileActivity.urlKey(f.webUrl()), f, state(tenant, item, people)));
            } catch (ManagementApiException m) {
                if (m.status() != 404) {
                    throw m;
                }
                work.reads().add(new FileRead(null, FileActivity.urlKey(f.webUrl()), f, null));
            }
        }
        return work;
    }

    private StoredFile known(Tenant tenant, JsonNode item) {
        return items.find(tenant.tenantId(), item.path("parentReference").path("driveId").asText(),
                item.path("id").asText()).orElse(null);
    }

    private FileState state(Tenant tenant, JsonNode item, TenantPeople people) {
        String driveId = item.path("parentReference").path("driveId").asText();
        String itemId = item.path("id").asText();
        List<JsonNode> permissions = new ArrayList<>();
        URI next = graph.url(tenant, "/drives/" + driveId + "/items/" + itemId + "/permissions");
        while (next != null) {
            JsonNode page = graph.get(tenant, next, "permissions of file " + itemId);
            page.path("value").forEach(permissions::add);
            next = GraphClient.nextLink(page);
        }
        String owner = FileState.owner(item, permissions);
        FileSharing sharing = FileSharing.of(permissions, people.withFile(owner, item.path("webUrl").asText()));
        return FileState.of(item, sharing, owner);
    }
}
