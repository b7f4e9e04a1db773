package org.o365audit.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlobBodyTest {
    private static final String TENANT = "8d4121ed-0008-406d-bff9-0d5bb312183c";
    private final List<Element> good = CorpusRecords.goodRecords(30, 1);
    private final List<Element> hostile = HostileRecords.all(TENANT, 1);

    @Test
    void isAJsonArrayOfTheElementsAsTheyAre() throws Exception {
        BlobBody text = BlobBody.mix(good, HostileRecords.textCases(TENANT, 1), 3);
        JsonNode array = new ObjectMapper().readTree(text.bytes());
        assertThat(array.isArray()).isTrue();
        assertThat(array.size()).isEqualTo(text.elements().size());

        BlobBody withBytes = BlobBody.mix(good, hostile, 3);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write('[');
        for (Element e : withBytes.elements()) {
            expected.writeBytes(e.bytes());
            expected.write(',');
        }
        byte[] joined = expected.toByteArray();
        joined[joined.length - 1] = ']';
        assertThat(withBytes.bytes()).isEqualTo(joined);
    }

    @Test
    void mixKeepsEveryElementAndEachListsOrder() {
        List<Element> mixed = BlobBody.mix(good, hostile, 3).elements();
        assertThat(mixed).hasSize(good.size() + hostile.size());
        assertThat(mixed.stream().filter(good::contains).toList()).containsExactlyElementsOf(good);
        assertThat(mixed.stream().filter(hostile::contains).toList()).containsExactlyElementsOf(hostile);
        assertThat(BlobBody.mix(good, hostile, 3).elements()).containsExactlyElementsOf(mixed);
        assertThat(BlobBody.mix(good, hostile, 4).elements()).isNotEqualTo(mixed);
    }

    @Test
    void expectsTheGoodAndStoredHostileIdsAndOneQuarantineRowPerQuarantinedElement() {
        BlobBody body = BlobBody.mix(good, hostile, 3);
        List<Element> storedHostile = hostile.stream().filter(e -> e.expectation() == Expectation.STORED).toList();
        assertThat(good).allSatisfy(e -> assertThat(e.expectation()).isEqualTo(Expectation.STORED));
        assertThat(body.expectedStoredIds()).hasSize(good.size() + storedHostile.size())
                .containsAll(good.stream().map(Element::storedId).toList())
                .containsAll(storedHostile.stream().map(Element::storedId).toList());
        assertThat(body.expectedQuarantined()).isEqualTo(hostile.size() - storedHostile.size());
    }

    @Test
    void aRecordRepeatedInTheBlobIsExpectedOnce() {
        BlobBody body = BlobBody.of(List.of(good.get(0), good.get(1), good.get(0)));
        assertThat(body.expectedStoredIds()).containsExactly(good.get(0).storedId(), good.get(1).storedId());
        assertThat(body.expectedQuarantined()).isZero();
    }
}
