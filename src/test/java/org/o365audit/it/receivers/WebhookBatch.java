package org.o365audit.it.receivers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One webhook body checked and read the way a receiver that deduplicates needs it: the batch shape
 * ({@code {"batchId","count","records":[{"tenantId",…,"record":{"Id",…}}]}}) and each record's tenant and Id, in one
 * streaming pass without a tree of the records (a tree per batch would make the receiver, not the sender, what a
 * benchmark measures). A body that does not pass is read again as a tree, only to say what is wrong with it.
 */
record WebhookBatch(List<String> tenantIds, List<String> recordIds) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    /** The records of a well-formed batch sent under {@code webhookId}; IllegalArgumentException says why not. */
    static WebhookBatch read(String webhookId, byte[] body) {
        WebhookBatch b = null;
        try {
            b = stream(webhookId, body);
        } catch (IOException notJson) {
            // described below
        }
        if (b != null) {
            return b;
        }
        // an unusual shape the tree reading still takes (a numeric batchId, a count as text …), or the reason
        List<String> tenants = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : explain(webhookId, body).get("records")) {
            tenants.add(entry.get("tenantId").asText());
            ids.add(entry.get("record").get("Id").asText());
        }
        return new WebhookBatch(tenants, ids);
    }

    /** Null when anything is off or unusual; the tree reading decides. */
    private static WebhookBatch stream(String webhookId, byte[] body) throws IOException {
        List<String> tenants = null;
        List<String> ids = null;
        boolean idMatches = true;
        int count = -2;   // no count field
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "batchId" -> idMatches = t == JsonToken.VALUE_STRING && p.getText().equals(webhookId);
                    case "count" -> count = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "records" -> {
                        if (t != JsonToken.START_ARRAY) {
                            return null;
                        }
                        tenants = new ArrayList<>();
                        ids = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            if (!entry(p, tenants, ids)) {
                                return null;
                            }
                        }
                        if (p.currentToken() != JsonToken.END_ARRAY) {
                            return null;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                return null;
            }
        }
        if (tenants == null || !idMatches || count != -2 && count != tenants.size()) {
            return null;
        }
        return new WebhookBatch(tenants, ids);
    }

    /** One entry: a textual tenantId and a record object with a textual Id at its top level. */
    private static boolean entry(JsonParser p, List<String> tenants, List<String> ids) throws IOException {
        String tenant = null;
        String id = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (field.equals("tenantId")) {
                tenant = t == JsonToken.VALUE_STRING ? p.getText() : null;
                p.skipChildren();
            } else if (field.equals("record") && t == JsonToken.START_OBJECT) {
                id = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("Id")) {
                        id = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    }
                    p.skipChildren();
                }
            } else {
                if (field.equals("record")) {
                    id = null;
                }
                p.skipChildren();
            }
        }
        if (tenant == null || id == null) {
            return false;
        }
        tenants.add(tenant);
        ids.add(id);
        return true;
    }

    /** The body as a tree, with the reason it is not a batch; throws IllegalArgumentException for that reason. */
    static ObjectNode explain(String webhookId, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode batch) || !root.path("records").isArray()) {
            throw new IllegalArgumentException("body must be an object with a records array");
        }
        if (batch.has("batchId") && !batch.get("batchId").asText().equals(webhookId)) {
            throw new IllegalArgumentException("batchId " + batch.get("batchId") + " differs from webhook-id " + webhookId);
        }
        if (batch.has("count") && batch.get("count").asInt(-1) != batch.get("records").size()) {
            throw new IllegalArgumentException("count " + batch.get("count") + " but " + batch.get("records").size() + " records");
        }
        for (JsonNode entry : batch.get("records")) {
            if (!entry.path("tenantId").isTextual() || !entry.path("record").path("Id").isTextual()) {
                throw new IllegalArgumentException("each entry needs a tenantId and a record with an Id: " + abbreviate(entry));
            }
        }
        return batch;
    }

    private static String abbreviate(JsonNode node) {
        String text;
        try {
            text = JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            text = String.valueOf(node);
        }
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
