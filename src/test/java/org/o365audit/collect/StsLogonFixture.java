package org.o365audit.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Management API Azure AD logon records (AzureActiveDirectoryStsLogon, RecordType 15) whose kind is known: three
 * real OTRF Security-Datasets records (o365spray) as they are, and variants of them that change only the fields a
 * real sign-in of that kind differs in (RequestType, UserAgent, ApplicationId, ErrorNumber), plus a real
 * AzureActiveDirectory record of another RecordType that the filter must never touch. Ids are fixed; the expected
 * answer is {@link #INTERACTIVE_AND_LEGACY}.
 */
public final class StsLogonFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OTRF = "otrf-security-datasets-m365.ndjson";
    private static final String OFFICE_WEB = "4765445b-32c6-49b0-83e6-1d93765276ca";
    private static final String TEAMS = "1fec8e78-bce4-4aaf-ab1b-5451cc387264";
    private static final String GRAPH = "00000003-0000-0000-c000-000000000000";

    public static final String EXCHANGE_PROXY_SUCCESS = "01d904ce-9417-4d91-86e4-99afcac30600";
    public static final String EXCHANGE_PROXY_FAILURE = "378be9cf-6e75-4885-b4d1-126e24ab0800";
    public static final String ROPC_WRONG_PASSWORD = "f3d31ad2-1cd5-4a62-a296-b11e0d250700";
    public static final String BROWSER_SIGN_IN = "5a1f0c3e-0001-4b7e-9c11-6d2f8a900700";
    public static final String MFA_COMPLETED = "5a1f0c3e-0002-4b7e-9c11-6d2f8a900700";
    public static final String BROWSER_WRONG_PASSWORD = "5a1f0c3e-0003-4b7e-9c11-6d2f8a900700";
    public static final String TOKEN_REFRESH = "5a1f0c3e-0004-4b7e-9c11-6d2f8a900700";
    public static final String TOKEN_REFRESH_EXPIRED = "5a1f0c3e-0005-4b7e-9c11-6d2f8a900700";
    public static final String IMAP_BAV2ROPC = "5a1f0c3e-0006-4b7e-9c11-6d2f8a900700";
    public static final String ACTIVESYNC_DEVICE = "5a1f0c3e-0007-4b7e-9c11-6d2f8a900700";
    public static final String SMTP_AUTH_FAILED = "5a1f0c3e-0008-4b7e-9c11-6d2f8a900700";
    public static final String NO_REQUEST_TYPE = "5a1f0c3e-0009-4b7e-9c11-6d2f8a900700";
    /** ms docs "Add User." (RecordType 8, Workload AzureActiveDirectory): not a logon record. */
    public static final String ADD_USER = "b567caf0-088e-4c1c-a4ea-633a1e3d66c8";

    /** What {@code sign-ins: interactive-and-legacy} keeps: all but the two token-endpoint refreshes. */
    public static final Set<String> INTERACTIVE_AND_LEGACY = Set.of(EXCHANGE_PROXY_SUCCESS, EXCHANGE_PROXY_FAILURE,
            ROPC_WRONG_PASSWORD, BROWSER_SIGN_IN, MFA_COMPLETED, BROWSER_WRONG_PASSWORD, IMAP_BAV2ROPC,
            ACTIVESYNC_DEVICE, SMTP_AUTH_FAILED, NO_REQUEST_TYPE, ADD_USER);

    private StsLogonFixture() {
    }

    /** The records by Id, in a fixed order. */
    public static Map<String, String> records() {
        ObjectNode success = corpus(OTRF, EXCHANGE_PROXY_SUCCESS);
        ObjectNode failure = corpus(OTRF, ROPC_WRONG_PASSWORD);
        Map<String, String> r = new LinkedHashMap<>();
        r.put(EXCHANGE_PROXY_SUCCESS, success.toString());
        r.put(EXCHANGE_PROXY_FAILURE, corpus(OTRF, EXCHANGE_PROXY_FAILURE).toString());
        r.put(ROPC_WRONG_PASSWORD, failure.toString());
        r.put(BROWSER_SIGN_IN, variant(success, BROWSER_SIGN_IN, "Login:login", null, OFFICE_WEB, null));
        r.put(MFA_COMPLETED, variant(success, MFA_COMPLETED, "SAS:EndAuth", null, OFFICE_WEB, null));
        r.put(BROWSER_WRONG_PASSWORD, variant(failure, BROWSER_WRONG_PASSWORD, "Login:login", null, OFFICE_WEB, null));
        r.put(TOKEN_REFRESH, variant(success, TOKEN_REFRESH, "OAuth2:Token", null, TEAMS, null));
        r.put(TOKEN_REFRESH_EXPIRED, variant(failure, TOKEN_REFRESH_EXPIRED, "OAuth2:Token", null, TEAMS, "70043"));
        r.put(IMAP_BAV2ROPC, variant(success, IMAP_BAV2ROPC, "OAuth2:Token", "BAV2ROPC", TEAMS, null));
        r.put(ACTIVESYNC_DEVICE, variant(success, ACTIVESYNC_DEVICE, "OAuth2:Token", "Apple-iPhone14C2/2006.2",
                SignInKind.EXCHANGE_ONLINE, null));
        r.put(SMTP_AUTH_FAILED, variant(failure, SMTP_AUTH_FAILED, "OAuth2:Token", "BAV2ROPC", SignInKind.EXCHANGE_ONLINE, null));
        ObjectNode noType = (ObjectNode) JSON.valueToTree(read(success.toString()));
        noType.put("Id", NO_REQUEST_TYPE);
        ArrayNode props = noType.putArray("ExtendedProperties");
        props.addObject().put("Name", "ResultStatusDetail").put("Value", "Success");
        r.put(NO_REQUEST_TYPE, noType.toString());
        r.put(ADD_USER, corpus("ms-office-365-management-api-docs.ndjson", ADD_USER).toString());
        return r;
    }

    public static List<String> lines() {
        return List.copyOf(records().values());
    }

    /** A real record with another Id and the fields that tell the kind changed (null: kept as it is). */
    private static String variant(ObjectNode base, String id, String requestType, String userAgent, String appId,
            String errorNumber) {
        ObjectNode r = base.deepCopy();
        r.put("Id", id);
        r.put("IntraSystemId", id);
        for (JsonNode p : r.path("ExtendedProperties")) {
            String name = p.path("Name").asText();
            if (name.equals("RequestType") && requestType != null) {
                ((ObjectNode) p).put("Value", requestType);
            } else if (name.equals("UserAgent") && userAgent != null) {
                ((ObjectNode) p).put("Value", userAgent);
            }
        }
        if (appId != null) {
            r.put("ApplicationId", appId);
            r.put("ObjectId", GRAPH);
        }
        if (errorNumber != null) {
            r.put("ErrorNumber", errorNumber);
        }
        return r.toString();
    }

    private static ObjectNode corpus(String file, String id) {
        try (InputStream in = StsLogonFixture.class.getResourceAsStream("/simulator/corpus/" + file)) {
            String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains("\"Id\":\"" + id + "\"") || l.contains("\"Id\": \"" + id + "\""))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no record " + id + " in " + file));
            return (ObjectNode) read(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
