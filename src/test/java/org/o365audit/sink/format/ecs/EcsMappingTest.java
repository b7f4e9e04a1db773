package org.o365audit.sink.format.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.o365audit.sink.SinkRecord;
import org.o365audit.sink.format.ClientAddress;
import org.o365audit.sink.format.EcsDocument;

class EcsMappingTest {
    private static final String MINIMAL = "fields:\n  - {to: event.action, from: [Operation]}\nevents:\n  - {category: [web], type: [info]}\n";

    @Test
    void theShippedTableLoadsAndIsTheConfigFile() throws IOException {
        EcsMapping shipped = EcsMapping.defaults();
        EcsMapping config = load(Files.readString(Path.of("config", "ecs-mapping.yaml")));

        assertThat(shipped.fieldRules()).isGreaterThan(50).isEqualTo(config.fieldRules());
        assertThat(shipped.eventRules()).isGreaterThan(20).isEqualTo(config.eventRules());
    }

    @Test
    void anUnknownKeyStopsTheStartNamingTheRuleAndTheKey() {
        assertThatThrownBy(() -> load(MINIMAL.replace("fields:\n", "fields:\n  - {to: user.id, form: [UserId]}\n")))
                .isInstanceOf(InvalidEcsMappingException.class)
                .hasMessageContaining("test.yaml: fields[0] (to: user.id)")
                .hasMessageContaining("unknown key 'form'");
        assertThatThrownBy(() -> load(MINIMAL + "  - {when: {opration: x}, category: [iam]}\n"))
                .hasMessageContaining("events[1]").hasMessageContaining("unknown condition 'opration'");
        assertThatThrownBy(() -> load(MINIMAL + "colours: [red]\n")).hasMessageContaining("colours");
    }

    @Test
    void anUnknownTransformOrTableIsNamed() {
        assertThatThrownBy(() -> load(MINIMAL.replace("[Operation]}", "[Operation], as: uppercase}")))
                .hasMessageContaining("unknown transform 'uppercase'");
        assertThatThrownBy(() -> load(MINIMAL.replace("[Operation]}", "[Operation], as: {map: renames}}")))
                .hasMessageContaining("no table 'renames'");
    }

    @Test
    void aFieldReadBeforeAnyRuleSetsItIsRefused() {
        assertThatThrownBy(() -> load(MINIMAL.replace("fields:\n", "fields:\n  - {to: related.user, from: ['@user.nmae']}\n")))
                .hasMessageContaining("'@user.nmae' is not set by any rule before this one");
    }

    @Test
    void aFieldInsideAnotherFieldIsRefused() {
        assertThatThrownBy(() -> load(MINIMAL.replace("fields:\n", "fields:\n  - {to: user, from: [UserId]}\n  - {to: user.id, from: [UserId]}\n")))
                .hasMessageContaining("'user' is set as a value but 'user.id' is inside it");
    }

    @Test
    void fieldsTheCollectorWritesCannotBeMapped() {
        assertThatThrownBy(() -> load(MINIMAL.replace("fields:\n", "fields:\n  - {to: o365collector.app, value: x}\n")))
                .hasMessageContaining("written by the collector itself");
    }

    @ParameterizedTest
    @ValueSource(strings = {"category: [identity]", "type: [modification]", "kind: warning", "outcome: failed"})
    void eventValuesOutsideEcsAreRefused(String bad) {
        assertThatThrownBy(() -> load(MINIMAL + "  - {when: {operation: x}, " + bad + "}\n"))
                .hasMessageContaining("events[1]").hasMessageContaining("is not an ECS event.");
    }

    @Test
    void aTemplateFillsEachPlaceholderWithItsFirstSourceThatHasAValue() {
        EcsMapping m = load(MINIMAL.replace("fields:\n", "fields:\n  - {to: user.id, from: [UserId]}\n"
                + "  - {to: message, value: \"${Operation} by ${@user.id|ActorId} on '${Subject|Item.Subject}'\"}\n"));

        assertThat(new EcsDocument(m).toEcs(record("{\"Id\":\"1\",\"Operation\":\"Send\",\"ActorId\":\"x\","
                + "\"Item\":{\"Subject\":\"Hi\"}}")).at("/message").asText()).isEqualTo("Send by x on 'Hi'");
        assertThat(new EcsDocument(m).toEcs(record("{\"Id\":\"1\",\"UserId\":\"u@c.example\"}")).at("/message").asText())
                .isEqualTo(" by u@c.example on ''");
        assertThatThrownBy(() -> load(MINIMAL.replace("fields:\n", "fields:\n  - {to: message, value: \"${@user.id}\"}\n")))
                .hasMessageContaining("'@user.id' is not set by any rule before this one");
    }

    @Test
    void aTableThatIsNotYamlSaysSo() {
        assertThatThrownBy(() -> load("fields: [\n")).hasMessageContaining("test.yaml is not valid YAML");
        assertThatThrownBy(() -> load("arrays: []\n")).hasMessageContaining("needs 'fields' and 'events'");
    }

    @Test
    void anEditOfTheTableChangesTheDocuments() throws IOException {
        String shipped = Files.readString(Path.of("config", "ecs-mapping.yaml"));
        String edited = shipped + "  - {when: {code: AzureActiveDirectory, operation: \"Add member to role.\"}, "
                + "action: added-member-to-role, category: [iam], type: [user, change]}\n";
        SinkRecord r = record("{\"Id\":\"1\",\"RecordType\":8,\"Operation\":\"Add member to role.\",\"ObjectId\":\"a@b.example\"}");

        JsonNode before = new EcsDocument(EcsMapping.defaults()).toEcs(r);
        JsonNode after = new EcsDocument(load(edited)).toEcs(r);

        assertThat(texts(before.at("/event/category"))).containsExactly("web");
        assertThat(texts(after.at("/event/category"))).containsExactly("web", "iam");
        assertThat(texts(after.at("/event/type"))).containsExactly("info", "user", "change");
        assertThat(after.at("/event/action").asText()).isEqualTo("added-member-to-role");
        // o365 3.x also relates the target's id and email, not only its name
        assertThat(texts(after.at("/related/user"))).containsExactly("a", "a@b.example");
    }

    /** Shapes real tenants and hostile senders produce: the document is still whole, typed as its mapping says. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"Id\":\"1\",\"RecordType\":11,\"PolicyDetails\":\"not a list\"}",
            "{\"Id\":\"1\",\"RecordType\":11,\"PolicyDetails\":[{\"Rules\":{\"RuleId\":1}},{\"Rules\":[{\"Severity\":7,\"Actions\":\"BlockAccess\"}]},3]}",
            "{\"Id\":\"1\",\"RecordType\":13,\"PolicyDetails\":[{\"Rules\":[{\"RuleId\":\"r\",\"RuleName\":null,\"Severity\":null}]}],\"ExchangeMetaData\":{\"To\":\"x@y\",\"CC\":[1,null,{\"a\":1}]}}",
            "{\"Id\":\"1\",\"RecordType\":25,\"Operation\":\"MemberAdded\",\"Members\":\"everyone\"}",
            "{\"Id\":\"1\",\"RecordType\":25,\"Members\":[\"a\",null,{\"UPN\":null},{\"UPN\":{\"x\":1}},{\"UPN\":\"u@c.example\"}]}",
            "{\"Id\":\"1\",\"RecordType\":40,\"Data\":\"{not json\"}",
            "{\"Id\":\"1\",\"RecordType\":40,\"Data\":{\"f3u\":\"a@b.example\"}}",
            "{\"Id\":\"1\",\"Data\":42,\"Parameters\":{\"User\":\"x\"},\"ExtendedProperties\":\"UserAgent\"}",
            "{\"Id\":\"1\",\"ClientIP\":\"   \",\"ClientIPAddress\":null,\"ActorIpAddress\":[\"1.2.3.4\"]}",
            "{\"Id\":\"1\",\"ClientIP\":\"999.1.1.1:99999999999999999999\"}",
            "{\"Id\":\"1\",\"ClientIP\":\"[::1]:0\",\"RecordType\":\"fifteen\"}",
            "{\"Id\":\"1\",\"ClientIP\":\"a b (c\",\"RecordType\":1,\"OriginatingServer\":\"S (1.2.3.4)\\r\\n\"}",
            "{\"Id\":\"1\",\"UserId\":12345,\"RecordType\":8,\"ObjectId\":{\"a\":\"b\"},\"OrganizationId\":7}",
            "{\"Id\":\"1\",\"UserId\":\"a@b@c\",\"RecordType\":2,\"MailboxOwnerUPN\":\"m@c.example\",\"Severity\":\"High\"}",
            "{\"Id\":\"1\",\"RecordType\":11,\"SharePointMetaData\":{\"LastModifiedTime\":\"yesterday\",\"From\":\"\"}}",
            "{\"Id\":\"1\",\"RecordType\":11,\"SharePointMetaData\":{\"LastModifiedTime\":\"+10000-01-01T00:00:00Z\"}}",
            "{\"Id\":\"1\",\"ClientIP\":\"010.001.1.1\",\"RecordType\":1,\"OriginatingServer\":\"S (01.2.3.4)\"}",
            "[1,2,3]",
            "not json at all"})
    void hostileShapesGiveAWholeDocument(String raw) {
        JsonNode d = new EcsDocument().toEcs(record(raw));

        for (String ip : List.of("/client/ip", "/source/ip", "/server/ip", "/destination/ip")) {
            assertThat(d.at(ip).isMissingNode() || ClientAddress.parse(d.at(ip).asText()).isPresent()).as(ip).isTrue();
        }
        d.at("/related/ip").forEach(ip -> assertThat(ClientAddress.parse(ip.asText())).isPresent());
        for (String n : List.of("/event/severity", "/client/port", "/source/port")) {
            assertThat(d.at(n).isMissingNode() || d.at(n).isIntegralNumber()).as(n).isTrue();
        }
        assertThat(d.at("/file/mtime").isMissingNode()).isTrue();
        assertThat(texts(d.at("/event/category"))).startsWith("web");
        assertThat(d.at("/event/outcome").asText()).isIn("success", "failure");
    }

    @Test
    void addressesElasticsearchWouldRefuseStayOutOfIpFields() {
        // "010.1.1.1": Elasticsearch's ip type refuses leading zeros, and would refuse the whole document with it
        JsonNode d = new EcsDocument().toEcs(record("{\"Id\":\"1\",\"ClientIP\":\"010.001.1.1:443\"}"));

        assertThat(d.at("/client/ip").isMissingNode()).isTrue();
        assertThat(d.at("/source/ip").isMissingNode()).isTrue();
        assertThat(d.at("/related/ip").isMissingNode()).isTrue();
        assertThat(d.at("/client/domain").asText()).isEqualTo("010.001.1.1:443");
    }

    @Test
    void aBlockedDlpMatchIsAFailureUnlessUndoneOrExcepted() {
        String blocked = "\"PolicyDetails\":[{\"Rules\":[{\"RuleId\":\"r1\",\"RuleName\":\"Cards\",\"Severity\":\"High\",\"Actions\":[\"NotifyUser\",\"BlockAccess\"]}]}]";
        assertThat(outcome("{\"Id\":\"1\",\"RecordType\":11,\"Operation\":\"DlpRuleMatch\"," + blocked + "}")).isEqualTo("failure");
        assertThat(outcome("{\"Id\":\"1\",\"RecordType\":11,\"Operation\":\"DlpRuleUndo\"," + blocked + "}")).isEqualTo("success");
        assertThat(outcome("{\"Id\":\"1\",\"RecordType\":11,\"Operation\":\"DlpRuleMatch\",\"ExceptionInfo\":{\"Reason\":\"override\"}," + blocked + "}")).isEqualTo("success");
        assertThat(outcome("{\"Id\":\"1\",\"RecordType\":11,\"Operation\":\"DlpInfo\",\"ExceptionInfo\":{\"Reason\":\"override\"}," + blocked + "}")).isEqualTo("failure");
        assertThat(outcome("{\"Id\":\"1\",\"RecordType\":11,\"Operation\":\"DlpRuleMatch\",\"ResultStatus\":\"Failed\","
                + blocked.replace(",\\\"BlockAccess\\\"", "").replace("\"NotifyUser\",\"BlockAccess\"", "\"NotifyUser\"") + "}")).isEqualTo("success");
        JsonNode d = new EcsDocument().toEcs(record("{\"Id\":\"1\",\"RecordType\":11," + blocked + "}"));
        assertThat(d.at("/event/severity").asInt()).isEqualTo(4);
        assertThat(d.at("/event/kind").asText()).isEqualTo("alert");
        assertThat(texts(d.at("/rule/name"))).containsExactly("Cards");
    }

    @Test
    void aTeamsMembershipChangeIsAnIamGroupChangeRelatingItsMembers() {
        JsonNode d = new EcsDocument().toEcs(record("{\"Id\":\"1\",\"RecordType\":25,\"Workload\":\"MicrosoftTeams\","
                + "\"Operation\":\"MemberAdded\",\"TeamName\":\"Finance\",\"UserId\":\"owner@c.example\","
                + "\"Members\":[{\"UPN\":\"new.hire@c.example\",\"Role\":1}]}"));

        assertThat(d.at("/event/action").asText()).isEqualTo("added-users-to-group");
        assertThat(texts(d.at("/event/category"))).containsExactly("web", "iam");
        assertThat(texts(d.at("/event/type"))).containsExactly("info", "group", "change");
        assertThat(d.at("/group/name").asText()).isEqualTo("Finance");
        // o365 3.x relates the actor's email too, beside its name
        assertThat(texts(d.at("/related/user"))).containsExactly("new.hire@c.example", "owner", "owner@c.example");
    }

    @Test
    void exchangeMailboxOwnerIsTheEmailWhenTheActorIsNoUpn() {
        JsonNode d = new EcsDocument().toEcs(record("{\"Id\":\"1\",\"RecordType\":2,\"UserId\":\"S-1-5-18\","
                + "\"MailboxOwnerUPN\":\"owner@c.example\",\"LogonUserDisplayName\":\"Owner\",\"ClientIPAddress\":\"10.0.0.1\","
                + "\"ClientIP\":\"10.0.0.2\",\"OriginatingServer\":\"DM6PR04MB4444 (15.20.2729.024)\\r\\n\"}"));

        assertThat(d.at("/user/id").asText()).isEqualTo("S-1-5-18");
        assertThat(d.at("/user/email").asText()).isEqualTo("owner@c.example");
        assertThat(d.at("/user/full_name").asText()).isEqualTo("Owner");
        assertThat(d.at("/client/ip").asText()).isEqualTo("10.0.0.1");
        assertThat(d.at("/server/domain").asText()).isEqualTo("DM6PR04MB4444");
        assertThat(d.at("/server/address").asText()).isEqualTo("15.20.2729.024");
        assertThat(d.at("/server/ip").isMissingNode()).isTrue();
    }

    private static String outcome(String raw) {
        return new EcsDocument().toEcs(record(raw)).at("/event/outcome").asText();
    }

    private static EcsMapping load(String yaml) {
        return EcsMapping.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    private static SinkRecord record(String raw) {
        JsonNode j;
        try {
            j = new ObjectMapper().readTree(raw);
        } catch (IOException e) {
            j = new ObjectMapper().createObjectNode();
        }
        Integer type = j.path("RecordType").canConvertToInt() ? j.get("RecordType").intValue() : null;
        String op = j.path("Operation").isTextual() ? j.get("Operation").asText() : null;
        String workload = j.path("Workload").isTextual() ? j.get("Workload").asText() : null;
        return new SinkRecord(1, 1, "t-1", "contoso", "Audit.General", "1", Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2024-01-01T00:05:00Z"), 300L, workload, type, null, op, null, null, null, "management-api", raw);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
