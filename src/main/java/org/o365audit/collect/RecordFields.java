package org.o365audit.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.o365audit.record.Texts;

/**
 * What enrichment reads of a record: its top-level Id, RecordType, Workload, CreationTime, Operation, UserId
 * and client addresses, UserKey and the acting app (AppId, ClientAppId, ApplicationId) (a key given twice counts with its last value, as in Jackson's tree), and where, if
 * anywhere, the record holds a key or string PostgreSQL cannot store. Read in one streaming pass by
 * {@link RecordReader}, or from a tree by {@link #of(ObjectNode)} (the delayed feeds build their records as trees).
 */
public record RecordFields(Value id, Value recordType, Value workload, Value creationTime, Value operation, Value userId,
                           Value clientIp, Value clientIpAddress, Value actorIpAddress, Value userKey, Value appId,
                           Value clientAppId, Value applicationId, String unstorableAt) {

    /** The keys read, in the order of {@link #slot} and of the components. */
    static final List<String> NAMES = List.of("Id", "RecordType", "Workload", "CreationTime", "Operation", "UserId",
            "ClientIP", "ClientIPAddress", "ActorIpAddress", "UserKey", "AppId", "ClientAppId", "ApplicationId");

    /**
     * One top-level value as Jackson's tree shows it: its type, its text (a string's value, a number's or a
     * boolean's text, an object's or array's compact JSON) and, for an integer that fits an int, the integer.
     * JSON null is no value (null), as is a missing key.
     */
    public record Value(JsonNodeType type, String text, Integer integer) {
        static Value of(JsonNode n) {
            if (n == null || n.isNull() || n.isMissingNode()) {
                return null;
            }
            return new Value(n.getNodeType(), n.isValueNode() ? n.asText() : n.toString(),
                    n.isIntegralNumber() && n.canConvertToInt() ? n.intValue() : null);
        }
    }

    /** The position of a key in {@link #NAMES}, or -1 when enrichment does not read it. */
    static int slot(String key) {
        return switch (key) {
            case "Id" -> 0;
            case "RecordType" -> 1;
            case "Workload" -> 2;
            case "CreationTime" -> 3;
            case "Operation" -> 4;
            case "UserId" -> 5;
            case "ClientIP" -> 6;
            case "ClientIPAddress" -> 7;
            case "ActorIpAddress" -> 8;
            case "UserKey" -> 9;
            case "AppId" -> 10;
            case "ClientAppId" -> 11;
            case "ApplicationId" -> 12;
            default -> -1;
        };
    }

    static RecordFields of(Value[] v, String unstorableAt) {
        return new RecordFields(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                unstorableAt);
    }

    /** The fields of a record given as a tree. */
    public static RecordFields of(ObjectNode j) {
        Value[] v = new Value[NAMES.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Value.of(j.get(NAMES.get(i)));
        }
        return of(v, unstorableText(j, ""));
    }

    /** The JSON path of the first key or string value PostgreSQL cannot store, or null. */
    static String unstorableText(JsonNode n, String path) {
        if (n.isTextual()) {
            return Texts.unstorable(n.textValue()) ? path : null;
        }
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = path + "." + f.getKey();
                if (Texts.unstorable(f.getKey())) {
                    return p;
                }
                String inner = unstorableText(f.getValue(), p);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String inner = unstorableText(n.get(i), path + "[" + i + "]");
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
