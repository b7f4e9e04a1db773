package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.o365audit.sink.SinkRecord;

class EcsDocumentTest {
    private final EcsDocument ecs = new EcsDocument();

    @Test
    void failedSignInMapsToEcs() throws Exception {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
        ObjectNode d = ecs.toEcs(r);

        assertThat(d.at("/@timestamp").asText()).isEqualTo("2023-07-23T12:13:33Z");
        assertThat(d.at("/ecs/version").asText()).isEqualTo("8.11.0");
        assertThat(d.at("/event/id").asText()).isEqualTo("2eaee53c-1a71-468b-ae64-3b61f5770600");
        assertThat(d.at("/event/action").asText()).isEqualTo("UserLoginFailed");
        assertThat(d.at("/event/provider").asText()).isEqualTo("AzureActiveDirectory");
        assertThat(d.at("/event/code").asText()).isEqualTo("AzureActiveDirectoryStsLogon");
        assertThat(d.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(d.at("/event/kind").asText()).isEqualTo("event");
        assertThat(texts(d.at("/event/category"))).containsExactly("web", "authentication");
        assertThat(texts(d.at("/event/type"))).containsExactly("info", "start", "access");
        assertThat(d.at("/event/dataset").asText()).isEqualTo("o365.audit");
        assertThat(d.at("/event/ingested").isMissingNode()).isTrue();
        assertThat(d.at("/user/id").asText()).isEqualTo("Henrietta@contoso.onmicrosoft.com");
        assertThat(d.at("/user/email").asText()).isEqualTo("Henrietta@contoso.onmicrosoft.com");
        assertThat(d.at("/user/name").asText()).isEqualTo("Henrietta");
        assertThat(d.at("/user/domain").asText()).isEqualTo("contoso.onmicrosoft.com");
        assertThat(d.at("/source/ip").asText()).isEqualTo("2a09:bac5:114:105::1a:9b");
        assertThat(d.at("/client/ip").asText()).isEqualTo("2a09:bac5:114:105::1a:9b");
        assertThat(d.at("/source/port").isMissingNode()).isTrue();
        assertThat(texts(d.at("/related/ip"))).containsExactly("2a09:bac5:114:105::1a:9b");
        assertThat(d.at("/organization/id").asText()).isEqualTo("8d4121ed-0008-406d-bff9-0d5bb312183c");
        assertThat(d.at("/organization/name").asText()).isEqualTo("contoso");
        assertThat(d.at("/cloud/provider").asText()).isEqualTo("azure");
        assertThat(d.at("/cloud/account/id").asText()).isEqualTo(Corpus.TENANT_ID);
        assertThat(d.at("/cloud/service/name").asText()).isEqualTo("AzureActiveDirectory");
    }

    @Test
    void rawRecordRidesAlongUntouched() throws Exception {
        String raw = Corpus.line("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
        ObjectNode d = ecs.toEcs(Corpus.record(raw));

        assertThat(d.at("/o365/audit")).isEqualTo(new ObjectMapper().readTree(raw));
        assertThat(d.at("/o365/audit/ExtendedProperties/1/Value").asText()).startsWith("Mozilla/5.0 (Windows NT 10.0");
    }

    @Test
    void recordsThatAreNotOneCompactObjectGoFromTheirParsedForm() throws Exception {
        // a key twice: Elasticsearch refuses duplicate fields, so the record goes as a parser reads it (last wins)
        SinkRecord twice = Corpus.record("{\"Id\":\"1\",\"Operation\":\"first\",\"Operation\":\"second\"}");
        assertThat(twice.isCompactObject()).isFalse();
        assertThat(twice.field("Operation")).isEqualTo("second");
        assertThat(ecs.toEcs(twice).at("/o365/audit")).isEqualTo(new ObjectMapper().readTree("{\"Id\":\"1\",\"Operation\":\"second\"}"));
        // pretty-printed: one line in NDJSON all the same
        SinkRecord pretty = Corpus.record("{\n  \"Id\": \"2\",\n  \"RecordType\": 15\n}");
        assertThat(pretty.isCompactObject()).isFalse();
        assertThat(pretty.field("RecordType")).isEqualTo("15");
        assertThat(ecs.toEcs(pretty).at("/o365/audit/Id").asText()).isEqualTo("2");
        SinkRecord compact = Corpus.record("{\"Id\":\"3\",\"ObjectId\":{\"a\":1},\"UserKey\":null}");
        assertThat(compact.isCompactObject()).isTrue();
        assertThat(compact.field("ObjectId")).isEmpty();
        assertThat(compact.field("UserKey")).isNull();
        assertThat(compact.field("Missing")).isNull();
    }

    @Test
    void changingTheDocumentLeavesTheRecordAlone() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
        ((ObjectNode) ecs.toEcs(r).at("/o365/audit")).put("Operation", "changed");

        assertThat(r.getJson().get("Operation").asText()).isEqualTo("UserLoginFailed");
    }

    @Test
    void collectorFactsGoUnderO365audit() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "2eaee53c-1a71-468b-ae64-3b61f5770600");
        JsonNode e = ecs.toEcs(r).get("o365collector");

        assertThat(e.get("tenantName").asText()).isEqualTo("contoso");
        assertThat(e.get("app").asText()).isEqualTo(r.getApp()).isNotBlank();
        assertThat(e.get("contentType").asText()).isEqualTo("Audit.AzureActiveDirectory");
        assertThat(e.get("source").asText()).isEqualTo("management-api");
        assertThat(e.get("collectedAt").asText()).isEqualTo("2023-07-23T12:18:33Z");
        assertThat(e.get("lagSeconds").asLong()).isEqualTo(300);
    }

    @ParameterizedTest(name = "ResultStatus {0} -> {1}")
    @CsvSource({"Succeeded, success", "PartiallySucceeded, success", "True, success", "failed, failure",
            "False, failure", "Redirect, success",
            // Microsoft's OMEPortal sample says "Failure"; Elastic's pipeline, and so the shipped table, reads it as success
            "Failure, success"})
    void outcomeFollowsElasticsRule(String status, String outcome) {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"ResultStatus\":\"" + status + "\"}");

        assertThat(ecs.toEcs(r).at("/event/outcome").asText()).isEqualTo(outcome);
    }

    @Test
    void missingResultStatusIsSuccess() {
        assertThat(ecs.toEcs(Corpus.record("{\"Id\":\"1\"}")).at("/event/outcome").asText()).isEqualTo("success");
    }

    @Test
    void directoryChangeOnAUserIsIam() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "632c63c7-551a-4ef8-b043-3012e49e709d");

        assertThat(texts(ecs.toEcs(r).at("/event/category"))).containsExactly("web", "iam");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "Add user.; added-user-account; web iam; info user creation",
            "Update user.; modified-user-account; web iam; info user change",
            "Delete user.; deleted-user-account; web iam; info user deletion",
            "Add member to role.; Add member to role.; web; info",
            "Set company information.; Set company information.; web; info"})
    void directoryAccountChangesAreRenamedIamEventsAsElasticDoes(String operation, String action, String categories, String types) {
        SinkRecord r = Corpus.record("{\"Id\":\"1\",\"RecordType\":8,\"Workload\":\"AzureActiveDirectory\","
                + "\"Operation\":\"" + operation + "\"}");
        ObjectNode d = ecs.toEcs(r);

        assertThat(d.at("/event/action").asText()).isEqualTo(action);
        assertThat(texts(d.at("/event/category"))).containsExactly(categories.split(" "));
        assertThat(texts(d.at("/event/type"))).containsExactly(types.split(" "));
    }

    @Test
    void sharePointAndOneDriveFileOperationsAreFile() {
        SinkRecord sp = Corpus.find("synthetic-templates.ndjson", "\"Operation\":\"FileDownloaded\"");
        SinkRecord od = Corpus.find("synthetic-templates.ndjson", "\"Operation\":\"FileModified\"");

        assertThat(texts(ecs.toEcs(sp).at("/event/category"))).containsExactly("web", "file");
        assertThat(texts(ecs.toEcs(od).at("/event/category"))).containsExactly("web", "file");
    }

    @Test
    void otherRecordsAreOnlyWeb() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "8b30644e-adc3-430a-9e1b-08db59217c9f");

        assertThat(texts(ecs.toEcs(r).at("/event/category"))).containsExactly("web");
    }

    @Test
    void clientPortFillsSourceAndClientPort() {
        SinkRecord r = Corpus.find("otrf-security-datasets-m365.ndjson", "7d1a3ff8-825a-4ddf-4215-08db8b48cccf");
        ObjectNode d = ecs.toEcs(r);

        assertThat(d.at("/source/ip").asText()).isEqualTo("2a09:bac5:111:105::1a:89");
        assertThat(d.at("/source/port").asInt()).isEqualTo(25138);
        assertThat(d.at("/client/port").asInt()).isEqualTo(25138);
    }

    @Test
    void hostNameInClientIpIsNotPutInIpFields() {
        ObjectNode d = ecs.toEcs(Corpus.record("{\"Id\":\"1\",\"ClientIP\":\"proxy.contoso.com:443\"}"));

        assertThat(d.has("source")).isFalse();
        assertThat(d.at("/client/ip").isMissingNode()).isTrue();
        assertThat(d.at("/client/domain").asText()).isEqualTo("proxy.contoso.com:443");
        // o365 3.x relates the host name (related.hosts), never in related.ip
        assertThat(d.at("/related/ip").isMissingNode()).isTrue();
        assertThat(texts(d.at("/related/hosts"))).containsExactly("proxy.contoso.com:443");
    }

    @Test
    void unknownRecordTypeKeepsItsNumberAsCode() {
        ObjectNode d = ecs.toEcs(Corpus.record("{\"Id\":\"1\",\"RecordType\":99999}"));

        assertThat(d.at("/event/code").asText()).isEqualTo("99999");
    }

    @Test
    void organizationIdIsLowerCase() {
        ObjectNode d = ecs.toEcs(Corpus.record("{\"Id\":\"1\",\"OrganizationId\":\"8D4121ED-0008-406D-BFF9-0D5BB312183C\"}"));

        assertThat(d.at("/organization/id").asText()).isEqualTo("8d4121ed-0008-406d-bff9-0d5bb312183c");
    }

    @Test
    void userIdWithoutAtSignIsOnlyTheId() {
        ObjectNode d = ecs.toEcs(Corpus.record("{\"Id\":\"1\",\"UserId\":\"NT AUTHORITY\\\\SYSTEM (w3wp)\"}"));

        assertThat(d.at("/user/id").asText()).isEqualTo("NT AUTHORITY\\SYSTEM (w3wp)");
        assertThat(d.get("user").has("email")).isFalse();
        assertThat(d.get("user").has("name")).isFalse();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
