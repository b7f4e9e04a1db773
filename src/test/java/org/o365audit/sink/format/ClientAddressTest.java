package org.o365audit.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressTest {

    @ParameterizedTest(name = "{0} -> {1} port {2}")
    @CsvSource(delimiter = ';', nullValues = "null", value = {
            "203.0.113.7; 203.0.113.7; null",
            "104.28.196.199:17145; 104.28.196.199; 17145",
            "[2a09:bac5:111:105::1a:89]:25138; 2a09:bac5:111:105::1a:89; 25138",
            "[2001:db8::5]; 2001:db8::5; null",
            "2a09:bac5:114:105::1a:9b; 2a09:bac5:114:105::1a:9b; null",
            "2401:4900:60d2:179b:c004:b6f:b678:b148; 2401:4900:60d2:179b:c004:b6f:b678:b148; null",
            "::ffff:10.11.0.229; 10.11.0.229; null",
            "::FFFF:10.11.0.229:443; 10.11.0.229; 443",
            "[::ffff:10.11.0.229]:443; 10.11.0.229; 443",
            "ffff:10.11.0.229; 10.11.0.229; null",
            " 1.2.3.4 ; 1.2.3.4; null",
            "::1; ::1; null",
            "64:ff9b::192.0.2.33; 64:ff9b::192.0.2.33; null"})
    void readsEveryShapeTheRecordsUse(String text, String ip, Integer port) {
        assertThat(ClientAddress.parse(text)).contains(new ClientAddress(ip, port));
    }

    @ParameterizedTest(name = "\"{0}\" gives nothing")
    @ValueSource(strings = {"", "  ", "<null>", "null", "host.example.com", "host.example.com:443", "1.2.3.4:99999",
            "1.2.3.4:http", "256.1.1.1", "1.2.3", "[2001:db8::5", "[2001:db8::5]x", "2001:db8:::5", "1:2:3:4:5:6:7:8:9",
            "12345::1", "fe80::1%eth0", "010.1.1.1", "1.2.3.04:443"})
    void anythingButALiteralAddressGivesNothing(String text) {
        assertThat(ClientAddress.parse(text)).isEmpty();
    }

    @Test
    void ipv6IsToldApartFromIpv4() {
        assertThat(ClientAddress.parse("2001:db8::5").orElseThrow().isIpv6()).isTrue();
        assertThat(ClientAddress.parse("::ffff:10.11.0.229").orElseThrow().isIpv6()).isFalse();
    }

    @Test
    void readsTheRecordsOwnFieldWithItsPort() {
        var r = Corpus.find("otrf-security-datasets-m365.ndjson", "7d1a3ff8-825a-4ddf-4215-08db8b48cccf");
        assertThat(r.getClientIp()).isEqualTo("2a09:bac5:111:105::1a:89");
        assertThat(ClientAddress.of(r)).contains(new ClientAddress("2a09:bac5:111:105::1a:89", 25138));
    }

    @Test
    void fallsBackToClientIpAddressThenActorIpAddress() {
        var exchange = Corpus.find("panther-analysis-schema-tests.ndjson", "MailItemsAccessed");
        assertThat(ClientAddress.of(exchange)).contains(new ClientAddress("2603:10b6:5:127::10", null));
        var actorOnly = Corpus.record("{\"Id\":\"a\",\"ClientIP\":\"<null>\",\"ActorIpAddress\":\"198.51.100.9\"}");
        assertThat(ClientAddress.of(actorOnly)).contains(new ClientAddress("198.51.100.9", null));
    }

    @Test
    void aRecordWithoutAddressGivesNothing() {
        assertThat(ClientAddress.of(Corpus.record("{\"Id\":\"a\"}"))).isEqualTo(Optional.empty());
    }
}
