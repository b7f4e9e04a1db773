package org.o365audit.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.o365audit.collect.RecordBatch;
import org.o365audit.collect.RecordFields;

/**
 * A signIn of the Graph log as a record for the store: the raw JSON is Graph's, untouched; the columns come from
 * it (id, createdDateTime, userPrincipalName, ipAddress; operation SignIn or SignInFailed by status.errorCode).
 * The id is the sign-in's request id, which the Management API's AzureActiveDirectoryStsLogon record of the same
 * sign-in carries as its Id (see {@code SignInKind}), so a sign-in that comes both ways is stored once.
 */
final class SignInRecords {
    static final String WORKLOAD = "Microsoft Entra ID";

    private SignInRecords() {
    }

    static RecordBatch.RawRecord of(JsonNode signIn) {
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        copy(signIn, "id", view, "Id");
        view.put("Workload", WORKLOAD);
        copy(signIn, "createdDateTime", view, "CreationTime");
        view.put("Operation", signIn.path("status").path("errorCode").asInt(0) == 0 ? "SignIn" : "SignInFailed");
        copy(signIn, "userPrincipalName", view, "UserId");
        copy(signIn, "ipAddress", view, "ClientIP");
        // the whole sign-in, so that a string PostgreSQL cannot store is found anywhere in it
        view.set("signIn", signIn);
        return new RecordBatch.RawRecord(signIn.toString(), RecordFields.of(view));
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode v = from.get(name);
        if (v != null && !v.isNull()) {
            to.set(as, v);
        }
    }
}
