package org.o365audit.it;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Audit records shaped like the API's (shared/corpus): CreationTime without zone, quirky field types. */
final class TestRecords {
    private static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private TestRecords() {
    }

    static String record(String id, String tenantId, Instant created) {
        return "{\"CreationTime\":\"" + API_TIME.format(created) + "\",\"Id\":\"" + id
                + "\",\"Operation\":\"Set-Mailbox\",\"OrganizationId\":\"" + tenantId
                + "\",\"RecordType\":1,\"ResultStatus\":\"True\",\"UserKey\":\"10032002643F6746\",\"UserType\":2,"
                + "\"Version\":1,\"Workload\":\"Exchange\",\"ClientIP\":\"[2a09:bac5:111:105::1a:89]:25138\","
                + "\"ObjectId\":\"f23cb258-50ca-4092-9027-5c4ca2f1d999\",\"UserId\":\"stinger@contoso.onmicrosoft.com\","
                + "\"Parameters\":[{\"Name\":\"Identity\",\"Value\":\"Lidia@contoso.onmicrosoft.com\"}]}";
    }

    /** An Azure AD admin operation (RecordType 8), for filters that pick some records and not others. */
    static String aadRecord(String id, String tenantId, Instant created) {
        return "{\"CreationTime\":\"" + API_TIME.format(created) + "\",\"Id\":\"" + id
                + "\",\"Operation\":\"Add member to role.\",\"OrganizationId\":\"" + tenantId
                + "\",\"RecordType\":8,\"ResultStatus\":\"Success\",\"UserKey\":\"10032002643F6746\",\"UserType\":0,"
                + "\"Version\":1,\"Workload\":\"AzureActiveDirectory\",\"ClientIP\":\"203.0.113.7:51000\","
                + "\"ObjectId\":\"admin=ops|team\\\\ops]\",\"UserId\":\"admin@contoso.onmicrosoft.com\","
                + "\"Target\":[{\"ID\":\"User_5f1c\",\"Type\":2}]}";
    }

    /** n records with fresh Ids, created a few minutes before {@code blobCreated}. */
    static List<String> records(int n, String tenantId, Instant blobCreated) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(record(UUID.randomUUID().toString(), tenantId, blobCreated.minusSeconds(60L * (i + 1))));
        }
        return out;
    }

    static String contentId(String tag, int i) {
        return "20261125" + String.format("%09d", i) + "$20261125" + String.format("%09d", i) + "$audit_exchange$Audit_Exchange$" + tag;
    }
}
