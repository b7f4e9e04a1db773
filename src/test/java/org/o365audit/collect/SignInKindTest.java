package org.o365audit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SignInKindTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tellsEachStsLogonOfTheFixtureAsExpected() throws Exception {
        Map<String, SignInKind> kinds = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : StsLogonFixture.records().entrySet()) {
            JsonNode r = JSON.readTree(e.getValue());
            if (r.path("RecordType").asInt() == SignInKind.STS_LOGON) {
                kinds.put(e.getKey(), SignInKind.ofStsLogon(r));
            }
        }
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry(StsLogonFixture.EXCHANGE_PROXY_SUCCESS, SignInKind.LEGACY),
                Map.entry(StsLogonFixture.EXCHANGE_PROXY_FAILURE, SignInKind.LEGACY),
                Map.entry(StsLogonFixture.ROPC_WRONG_PASSWORD, SignInKind.INTERACTIVE),
                Map.entry(StsLogonFixture.BROWSER_SIGN_IN, SignInKind.INTERACTIVE),
                Map.entry(StsLogonFixture.MFA_COMPLETED, SignInKind.INTERACTIVE),
                Map.entry(StsLogonFixture.BROWSER_WRONG_PASSWORD, SignInKind.INTERACTIVE),
                Map.entry(StsLogonFixture.TOKEN_REFRESH, SignInKind.NON_INTERACTIVE),
                Map.entry(StsLogonFixture.TOKEN_REFRESH_EXPIRED, SignInKind.NON_INTERACTIVE),
                Map.entry(StsLogonFixture.IMAP_BAV2ROPC, SignInKind.LEGACY),
                Map.entry(StsLogonFixture.ACTIVESYNC_DEVICE, SignInKind.LEGACY),
                Map.entry(StsLogonFixture.SMTP_AUTH_FAILED, SignInKind.LEGACY),
                Map.entry(StsLogonFixture.NO_REQUEST_TYPE, SignInKind.UNKNOWN)));
        assertThat(kinds.entrySet().stream().filter(e -> e.getValue().kept()).map(Map.Entry::getKey)
                .collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(StsLogonFixture.INTERACTIVE_AND_LEGACY.stream()
                        .filter(id -> !id.equals(StsLogonFixture.ADD_USER)).toList());
    }

    @Test
    void tellsGraphSignInsByIsInteractiveAndClientApp() throws Exception {
        assertThat(graph("{\"isInteractive\":true,\"clientAppUsed\":\"Browser\"}")).isEqualTo(SignInKind.INTERACTIVE);
        assertThat(graph("{\"isInteractive\":false,\"clientAppUsed\":\"Mobile Apps and Desktop clients\"}"))
                .isEqualTo(SignInKind.NON_INTERACTIVE);
        assertThat(graph("{\"isInteractive\":false,\"clientAppUsed\":\"browser\"}")).isEqualTo(SignInKind.NON_INTERACTIVE);
        assertThat(graph("{\"isInteractive\":false,\"clientAppUsed\":\"IMAP4\"}")).isEqualTo(SignInKind.LEGACY);
        assertThat(graph("{\"isInteractive\":false,\"clientAppUsed\":\"Exchange ActiveSync\"}")).isEqualTo(SignInKind.LEGACY);
        assertThat(graph("{\"isInteractive\":false,\"clientAppUsed\":\"Authenticated SMTP\"}")).isEqualTo(SignInKind.LEGACY);
        assertThat(graph("{\"clientAppUsed\":\"Browser\"}")).isEqualTo(SignInKind.UNKNOWN);
    }

    private static SignInKind graph(String json) throws Exception {
        return SignInKind.ofGraph(JSON.readTree(json));
    }
}
