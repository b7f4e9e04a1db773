package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The README's curl for sending set-aside records again: a POST to Jolokia with HTTP basic, as a script does it. */
class ResendOverJolokiaTest extends ConsoleTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATION =
            "/exec/o365audit:type=Sink,name=archive/resendSetAside/%20/%20";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aScriptResendsSetAsideRecordsWithAPostAndReadsTheProgress() throws Exception {
        // a record of the demo tenant the archive sink refused (files never refuse: the row stands for one)
        Map<String, Object> record = await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForList(
                "SELECT tenant_id, id FROM audit_event WHERE delivery_epoch IS NOT NULL ORDER BY seq FETCH FIRST 1 ROWS ONLY"),
                rows -> !rows.isEmpty()).get(0);
        jdbc.update("""
                INSERT INTO sink_set_aside (sink, batch_id, tenant_id, record_id, reason, created_at)
                VALUES ('archive', 'refused-batch', ?, ?, 'refused by the test', CURRENT_TIMESTAMP)""",
                record.get("tenant_id"), record.get("id"));

        assertThat(send(HttpRequest.newBuilder(URI.create(url("/actuator/jolokia" + OPERATION))).GET()).statusCode())
                .as("an operation as a GET").isEqualTo(403);
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(url("/actuator/jolokia")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"type":"exec","mbean":"o365audit:type=Sink,name=archive","operation":"resendSetAside",
                         "arguments":["",""]}""")));
        assertThat(post.statusCode()).isEqualTo(200);
        JsonNode reply = JSON.readTree(post.body());
        assertThat(reply.path("status").asInt()).as(post.body()).isEqualTo(200);
        assertThat(reply.path("value").asText())
                .startsWith("1 set-aside record of sink archive (set aside at any time) queued to be sent again");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sink_set_aside WHERE sink = 'archive'", Integer.class))
                    .isZero();
            JsonNode pending = JSON.readTree(send(HttpRequest.newBuilder(URI.create(url(
                    "/actuator/jolokia/read/o365audit:type=Sink,name=archive/ResendPending"))).GET()).body());
            assertThat(pending.path("value").asLong(-1)).isZero();
        });
        JsonNode status = JSON.readTree(send(HttpRequest.newBuilder(URI.create(url("/api/status"))).GET()).body());
        assertThat(status.path("sinks").findValuesAsText("resendPending")).containsExactly("0");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        String basic = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
