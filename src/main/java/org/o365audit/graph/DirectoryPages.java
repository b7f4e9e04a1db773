package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import org.o365audit.record.Texts;
import org.o365audit.store.DirectoryTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the entries of one delta page to the directory tables: changed or new objects are written with the round
 * that saw them, removed ones deleted with their memberships; a group's members@delta adds and removes members (a big
 * group comes back on later pages with more of them, so each entry only adds to what is there).
 */
final class DirectoryPages {
    private static final Logger LOG = LoggerFactory.getLogger("org.o365audit.graph");
    private final DirectoryTables tables;

    DirectoryPages(DirectoryTables tables) {
        this.tables = tables;
    }

    void apply(String tenantId, DirectoryResource resource, JsonNode entries, long round) {
        for (JsonNode e : entries) {
            String id = DirectoryEntries.id(e);
            if (id == null) {
                // no id the tables can key on: this entry alone is left out, the page goes on
                LOG.warn("tenant {} accounts: a {} entry without a usable id ({}) was left out", tenantId, resource.key(),
                        Texts.printable(e.path("id").asText(""), 100));
                continue;
            }
            if (resource == DirectoryResource.USERS) {
                user(tenantId, e, id, round);
            } else {
                group(tenantId, e, id, round);
            }
        }
    }

    private void user(String tenantId, JsonNode e, String id, long round) {
        if (DirectoryEntries.removed(e)) {
            tables.removeUser(tenantId, id);
        } else {
            tables.putUser(tenantId, DirectoryEntries.user(e), round);
        }
    }

    private void group(String tenantId, JsonNode e, String id, long round) {
        if (DirectoryEntries.removed(e)) {
            tables.removeGroup(tenantId, id);
            return;
        }
        if (DirectoryEntries.hasGroupProperties(e)) {
            tables.putGroup(tenantId, DirectoryEntries.group(e), round);
        } else {
            tables.sawGroup(tenantId, id, round);
        }
        for (JsonNode m : e.path("members@delta")) {
            String memberId = DirectoryEntries.id(m);
            if (memberId == null) {
                LOG.warn("tenant {} accounts: a member of group {} without a usable id was left out", tenantId, id);
                continue;
            }
            if (DirectoryEntries.removed(m)) {
                tables.removeMember(tenantId, id, memberId);
            } else {
                tables.putMember(tenantId, id, memberId, DirectoryEntries.memberType(m), round);
            }
        }
    }
}
